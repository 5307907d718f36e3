// The "Profile" view: the active profile's top functions (flat and cum, sortable), each expandable to its
// hot lines, callers and callees; a click opens the source at the line. Files of the profile that could
// not be mapped to local files are listed with the reason and an action to add a path mapping. Grouped
// by a label (span_name, say), it lists the label's values with their totals instead; a click on one
// filters the profile to it and shows its functions.

import * as vscode from 'vscode';
import { ProfileCommands, ProfileContextKeys } from '../../../common/ids';
import {
  FunctionDetailRequest, LabelGroupsRequest, TopFunctionsRequest,
  type FunctionDetail, type FunctionRow, type LabelGroup, type LabelGroupsResult, type SourceRef, type TopFunctionsResult,
} from '../../../common/profileProtocol';
import { send } from '../lspMessages';
import type { ProfileController } from './profileController';

const TOP_LIMIT = 200;
const GROUP_LIMIT = 500;

type Node =
  | { kind: 'header'; label: string; description: string }
  | { kind: 'function'; row: FunctionRow }
  | { kind: 'labelGroup'; key: string; group: LabelGroup }
  | { kind: 'group'; title: 'Hot lines' | 'Callers' | 'Callees'; functionName: string }
  | { kind: 'line'; label: string; description: string; source: SourceRef }
  | { kind: 'call'; row: FunctionRow }
  | { kind: 'unresolvedGroup'; files: readonly { file: string; reason: string }[] }
  | { kind: 'unresolved'; file: string; reason: string }
  | { kind: 'message'; label: string };

function shortName(functionName: string): string {
  const slash = functionName.lastIndexOf('/');
  return slash >= 0 ? functionName.slice(slash + 1) : functionName;
}

function location(source: SourceRef): string {
  const file = source.localPath ?? source.profileFile;
  const name = file.slice(file.lastIndexOf('/') + 1);
  return source.line > 0 ? `${name}:${source.line}` : name;
}

export class ProfileTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private sortBy: 'flat' | 'cum' = 'flat';
  private top?: Promise<TopFunctionsResult | null>;
  private groupBy: string | undefined;
  private groups?: Promise<LabelGroupsResult | null>;
  private readonly details = new Map<string, Promise<FunctionDetail | null>>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly profiles: ProfileController) {
    this.subscription = profiles.onDidChange(() => this.reload());
    void vscode.commands.executeCommand('setContext', ProfileContextKeys.sortBy, this.sortBy);
  }

  setSort(sortBy: 'flat' | 'cum'): void {
    this.sortBy = sortBy;
    void vscode.commands.executeCommand('setContext', ProfileContextKeys.sortBy, sortBy);
    this.reload();
  }

  /** Lists the values of label `key` instead of functions; undefined goes back to functions. */
  setGroupBy(key: string | undefined): void {
    this.groupBy = key;
    void vscode.commands.executeCommand('setContext', ProfileContextKeys.grouped, key !== undefined);
    this.reload();
  }

  private reload(): void {
    this.top = undefined;
    this.groups = undefined;
    this.details.clear();
    this.changed.fire(undefined);
  }

  private topFunctions(): Promise<TopFunctionsResult | null> {
    this.top ??= send(this.profiles.client, TopFunctionsRequest, { limit: TOP_LIMIT, sortBy: this.sortBy });
    return this.top;
  }

  private detail(functionName: string): Promise<FunctionDetail | null> {
    let detail = this.details.get(functionName);
    if (!detail) this.details.set(functionName, (detail = send(this.profiles.client, FunctionDetailRequest, { functionName })));
    return detail;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const active = this.profiles.active;
      if (!active) return [];
      const top = await this.topFunctions();
      if (!top) return [];
      const type = active.sampleTypes[this.profiles.state.sampleIndex];
      const base = this.profiles.base;
      const filter = this.profiles.state.labelFilter;
      if (this.groupBy !== undefined) return this.groupChildren(this.groupBy, active.label, type?.type ?? '', filter);
      const header: Node = {
        kind: 'header',
        label: active.label,
        description: [`${type?.type ?? ''} · sorted by ${this.sortBy}`, base ? `Δ ${base.label}` : '', filter ? `filter ${filter}` : ''].filter(Boolean).join(' · '),
      };
      const rows: Node[] = top.rows.map((row) => ({ kind: 'function', row }));
      if (rows.length === 0) rows.push({ kind: 'message', label: active.noSourceInfo ? 'This profile has addresses only, no function names or lines (it was not symbolized).' : 'No samples for this sample type and filter.' });
      return [header, ...rows, ...(top.unresolved.length ? [{ kind: 'unresolvedGroup', files: top.unresolved } as Node] : [])];
    }
    switch (node.kind) {
      case 'function':
        return (['Hot lines', 'Callers', 'Callees'] as const).map((title) => ({ kind: 'group', title, functionName: node.row.functionName }));
      case 'group': {
        const detail = await this.detail(node.functionName);
        if (!detail) return [];
        if (node.title === 'Hot lines') {
          return detail.hotLines.length
            ? detail.hotLines.map((l) => ({ kind: 'line', label: `line ${l.line}`, description: l.text, source: l.source }))
            : [{ kind: 'message', label: 'No line information.' }];
        }
        const rows = node.title === 'Callers' ? detail.callers : detail.callees;
        return rows.length ? rows.map((row) => ({ kind: 'call', row })) : [{ kind: 'message', label: node.title === 'Callers' ? 'No callers (a root of the stacks).' : 'No callees (a leaf).' }];
      }
      case 'unresolvedGroup':
        return node.files.map((f) => ({ kind: 'unresolved', file: f.file, reason: f.reason }));
      default:
        return [];
    }
  }

  private async groupChildren(key: string, label: string, sampleType: string, filter: string | null): Promise<Node[]> {
    this.groups ??= send(this.profiles.client, LabelGroupsRequest, { key, limit: GROUP_LIMIT });
    const result = await this.groups;
    if (!result) return [];
    const header: Node = { kind: 'header', label, description: [`grouped by ${key}`, sampleType, filter ? `filter ${filter}` : ''].filter(Boolean).join(' · ') };
    const rows: Node[] = result.groups.map((group) => ({ kind: 'labelGroup', key, group }));
    if (rows.length === 0) rows.push({ kind: 'message', label: `No sample${filter ? ' under this filter' : ''} carries the label ${key}.` });
    if (result.unlabelledText) rows.push({ kind: 'message', label: result.unlabelledText });
    return [header, ...rows];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'header': {
        const item = new vscode.TreeItem(node.label);
        item.description = node.description;
        item.iconPath = new vscode.ThemeIcon('flame');
        item.contextValue = 'profileHeader';
        item.command = { command: ProfileCommands.showFlameGraph, title: 'Show Flame Graph' };
        item.tooltip = 'Click to show the flame graph.';
        return item;
      }
      case 'function': {
        const item = new vscode.TreeItem(shortName(node.row.functionName), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `flat ${node.row.flatText} · cum ${node.row.cumText}`;
        item.tooltip = `${node.row.functionName}\n${location(node.row.source)}\nflat ${node.row.flatText} · cum ${node.row.cumText}`;
        item.iconPath = new vscode.ThemeIcon('symbol-function');
        item.contextValue = 'profileFunction';
        item.command = { command: ProfileCommands.openSource, title: 'Open Source', arguments: [node.row.source] };
        item.id = `fn:${this.sortBy}:${node.row.functionName}`;
        return item;
      }
      case 'labelGroup': {
        const item = new vscode.TreeItem(node.group.value === '' ? '(empty)' : node.group.value);
        item.description = `${node.group.totalText} (${node.group.shareText})`;
        item.tooltip = `${node.key} = ${node.group.value}\n${node.group.totalText} (${node.group.shareText}) in ${node.group.samples} sample${node.group.samples === 1 ? '' : 's'}\nClick to show only these samples.`;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = 'profileLabelGroup';
        item.command = { command: ProfileCommands.filterByLabel, title: 'Show Only These Samples', arguments: [node.group.filter] };
        item.id = `label:${node.key}:${node.group.value}`;
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon(node.title === 'Hot lines' ? 'list-ordered' : node.title === 'Callers' ? 'call-incoming' : 'call-outgoing');
        item.id = `group:${this.sortBy}:${node.functionName}:${node.title}`;
        return item;
      }
      case 'line': {
        const item = new vscode.TreeItem(node.label);
        item.description = node.description;
        item.tooltip = location(node.source);
        item.command = { command: ProfileCommands.openSource, title: 'Open Source', arguments: [node.source] };
        return item;
      }
      case 'call': {
        const item = new vscode.TreeItem(shortName(node.row.functionName));
        item.description = node.row.cumText;
        item.tooltip = `${node.row.functionName}\n${location(node.row.source)}`;
        item.iconPath = new vscode.ThemeIcon('symbol-function');
        item.command = { command: ProfileCommands.openSource, title: 'Open Source', arguments: [node.row.source] };
        return item;
      }
      case 'unresolvedGroup': {
        const item = new vscode.TreeItem(`Files not found locally (${node.files.length})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('warning');
        item.tooltip = 'These files of the profile could not be mapped to files in the workspace, GOROOT or the module cache. Add a path mapping to see their heat.';
        return item;
      }
      case 'unresolved': {
        const item = new vscode.TreeItem(node.file);
        item.description = node.reason;
        item.tooltip = `${node.file}\n${node.reason}`;
        item.contextValue = 'profileUnresolvedFile';
        item.iconPath = new vscode.ThemeIcon('file');
        return item;
      }
      case 'message':
        return new vscode.TreeItem(node.label);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export type ProfileTreeNode = Node;
