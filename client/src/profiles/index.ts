// The profile feature: commands (open, compare, switch sample type, filter by label, clear…), the
// Profile tree view, heat decorations, the status bar item, the flame graph panel and the custom editor
// for profile files. The language server does the decoding and aggregation. Other features hand it
// profiles through what registering returns (the capture feature: a saved profile with its kind).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { ProfileCommands, ProfileViews } from '../../../common/ids';
import { ProfileSettings } from '../../../common/settings';
import { exactLabelFilter } from '../../../core/profiles';
import type { ProfileFile, SourceRef } from '../../../common/profileProtocol';
import type { SpanProfileRequest } from '../../../common/timelineProtocol';
import type { GoTraceLensContext } from '../context';
import { FlameGraphPanel } from './flameGraphPanel';
import { HeatDecorations } from './heatDecorations';
import { openSource } from './openSource';
import { ProfileController } from './profileController';
import { ProfileEditorProvider } from './profileEditor';
import { ProfileStatusBar } from './profileStatusBar';
import { ProfileTreeProvider } from './profileTree';
import { showSpanProfile } from './spanProfile';
import { describeLabelValues, groupingKeys } from './spanProfileText';
import { describeSampleType } from './sampleTypeNames';

const PROFILE_FILTERS = { 'Go profiles': ['pprof', 'pb.gz', 'gz', 'prof', 'pb', 'out', 'txt'], 'All files': ['*'] };

async function pickProfileFile(title: string): Promise<vscode.Uri | undefined> {
  const [uri] = (await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: PROFILE_FILTERS, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri })) ?? [];
  return uri;
}

/** What the Profile feature offers the other features. */
export interface ProfileOpener {
  /** Loads a profile file as the active profile; false when it could not be (the user was told why). */
  open(file: ProfileFile): Promise<boolean>;
  /** Loads `file` as the active profile diffed against `base`, and shows the flame graph. */
  compare(file: ProfileFile, base: ProfileFile): Promise<boolean>;
}

export function registerProfileFeature(context: GoTraceLensContext): ProfileOpener {
  const { extension, output, config, client } = context;
  const profiles = new ProfileController(client, output);
  const tree = new ProfileTreeProvider(profiles);
  const heat = new HeatDecorations(profiles, config, output);
  const flame = new FlameGraphPanel(extension, profiles, output);
  const status = new ProfileStatusBar(profiles);
  const treeView = vscode.window.createTreeView(ProfileViews.profile, { treeDataProvider: tree, showCollapseAll: true });

  const openFile = async (file: ProfileFile) => {
    const loaded = await profiles.load({ ...file, makeActive: true });
    if (loaded) vscode.window.setStatusBarMessage(`$(flame) ${loaded.label}: CodeLens and heat are on in your Go files`, 5000);
    return loaded !== undefined;
  };

  const open = async (uri?: vscode.Uri) => {
    const target = uri instanceof vscode.Uri ? uri : await pickProfileFile('Open a Go profile');
    if (target) await openFile({ path: target.fsPath });
  };

  const compare = async (file: ProfileFile, base: ProfileFile) => {
    const loaded = await profiles.load({ ...file, makeActive: true, base });
    if (loaded) flame.show();
    return loaded !== undefined;
  };

  const chooseBase = async () => {
    const active = profiles.active;
    if (!active) return void vscode.window.showInformationMessage('Open a profile first; then choose the base to compare it with.');
    const sameKind = profiles.state.profiles.filter((p) => p.id !== active.id && p.sampleTypes.map((t) => t.type).join() === active.sampleTypes.map((t) => t.type).join());
    const items: (vscode.QuickPickItem & { id?: string })[] = [
      ...sameKind.map((p) => ({ label: p.label, description: p.path, id: p.id })),
      { label: '$(folder-opened) Browse…', description: 'a profile file of the same kind' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `Compare ${active.label} with…`, placeHolder: 'The base: its values are subtracted (growth shows positive)' });
    if (!picked) return;
    let baseId = picked.id;
    if (!baseId) {
      const uri = await pickProfileFile('Choose the base profile');
      if (!uri) return;
      const base = await profiles.load({ path: uri.fsPath, makeActive: false });
      if (!base) return;
      baseId = base.id;
    }
    if (await profiles.update({ activeId: active.id, baseId })) flame.show();
  };

  extension.subscriptions.push(
    profiles, tree, heat, flame, status, treeView,
    ProfileEditorProvider.register(extension, profiles, output),
    vscode.commands.registerCommand(ProfileCommands.open, open),
    vscode.commands.registerCommand(ProfileCommands.compare, async (uri?: vscode.Uri, baseUri?: vscode.Uri) => {
      if (!(uri instanceof vscode.Uri) || !(baseUri instanceof vscode.Uri)) return chooseBase();
      await compare({ path: uri.fsPath }, { path: baseUri.fsPath });
    }),
    vscode.commands.registerCommand(ProfileCommands.chooseBase, chooseBase),
    vscode.commands.registerCommand(ProfileCommands.clearBase, () => profiles.update({ baseId: null })),
    vscode.commands.registerCommand(ProfileCommands.clear, () => profiles.update({ activeId: null })),
    vscode.commands.registerCommand(ProfileCommands.selectActive, async () => {
      const items: (vscode.QuickPickItem & { id?: string })[] = [
        ...profiles.state.profiles.map((p) => ({ label: p.label, description: p.id === profiles.state.activeId ? 'active' : p.path, id: p.id })),
        { label: '$(folder-opened) Open Profile…' },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Active profile' });
      if (!picked) return;
      if (picked.id) await profiles.update({ activeId: picked.id });
      else await open();
    }),
    vscode.commands.registerCommand(ProfileCommands.switchSampleType, async () => {
      const active = profiles.active;
      if (!active) return void vscode.window.showInformationMessage('No profile is active.');
      const items = active.sampleTypes.map((t, i) => ({ label: t.type, description: describeSampleType(t), index: i, picked: i === profiles.state.sampleIndex }));
      const picked = await vscode.window.showQuickPick(items, { title: `Sample type of ${active.label}` });
      if (picked) await profiles.update({ sampleIndex: picked.index });
    }),
    vscode.commands.registerCommand(ProfileCommands.filterByLabel, async (given?: unknown) => {
      if (typeof given === 'string') {
        // A label group of the Profile view: its samples, as functions.
        tree.setGroupBy(undefined);
        await profiles.update({ labelFilter: given });
        return;
      }
      const active = profiles.active;
      if (!active) return void vscode.window.showInformationMessage('No profile is active.');
      // Keys with few values first (stage=pricing before a span_id per span); typing narrows the list.
      const labels = [...active.labels].sort((a, b) => a.values.length - b.values.length || a.key.localeCompare(b.key));
      const items: (vscode.QuickPickItem & { filter?: string })[] = [
        { label: '$(edit) Type a filter…', description: 'key=regexp, as go tool pprof -tagfocus' },
        ...labels.flatMap((l) => l.values.map((v) => ({ label: `${l.key}=${v}`, filter: exactLabelFilter(l.key, [v]) }))),
      ];
      if (active.labels.length === 0) items.push({ label: 'This profile has no labels', description: 'set them with pprof.Do / pprof.Labels', kind: vscode.QuickPickItemKind.Separator });
      const picked = await vscode.window.showQuickPick(items, { title: `Filter ${active.label} by label` });
      if (!picked) return;
      const filter = picked.filter ?? (await vscode.window.showInputBox({ title: 'Label filter', prompt: 'key=regexp (e.g. worker=cpu)', value: profiles.state.labelFilter ?? '' }));
      if (filter) await profiles.update({ labelFilter: filter });
    }),
    vscode.commands.registerCommand(ProfileCommands.clearLabelFilter, () => profiles.update({ labelFilter: null })),
    vscode.commands.registerCommand(ProfileCommands.groupByLabel, async () => {
      const active = profiles.active;
      if (!active) return void vscode.window.showInformationMessage('No profile is active.');
      if (active.labels.length === 0) {
        return void vscode.window.showInformationMessage(`The samples of ${active.label} carry no labels to group by. Spans label them when they set pprof labels (span_name, span_id) on their goroutines, as examples/shop/tracing does.`);
      }
      const keys = groupingKeys(active.labels.map((l) => l.key));
      const picked = await vscode.window.showQuickPick(
        keys.map((key) => ({ label: key, description: describeLabelValues(active.labels.find((l) => l.key === key)?.values ?? []) })),
        { title: `Group ${active.label} by label` },
      );
      if (!picked) return;
      tree.setGroupBy(picked.label);
      await vscode.commands.executeCommand(`${ProfileViews.profile}.focus`);
    }),
    vscode.commands.registerCommand(ProfileCommands.ungroup, () => tree.setGroupBy(undefined)),
    vscode.commands.registerCommand(ProfileCommands.showSpanProfile, async (request?: SpanProfileRequest) => {
      if (!request || !Array.isArray(request.spanIds) || request.spanIds.length === 0) {
        return void vscode.window.showInformationMessage('Select a span in the timeline, then "CPU profile of this span" in its details.');
      }
      tree.setGroupBy(undefined);
      await showSpanProfile(profiles, output, request);
    }),
    vscode.commands.registerCommand(ProfileCommands.sortByFlat, () => tree.setSort('flat')),
    vscode.commands.registerCommand(ProfileCommands.sortByCum, () => tree.setSort('cum')),
    vscode.commands.registerCommand(ProfileCommands.openSource, (ref: SourceRef) => openSource(client, ref)),
    vscode.commands.registerCommand(ProfileCommands.addPathMapping, async (fileOrNode?: string | { file?: string }) => {
      const file = typeof fileOrNode === 'string' ? fileOrNode : fileOrNode?.file ?? '';
      const from = await vscode.window.showInputBox({
        title: 'Add a path mapping (1/2)',
        prompt: 'The path prefix as the profile has it (where the binary was built)',
        value: file ? path.posix.dirname(file) : '',
        validateInput: (v) => (v.trim() === '' ? 'Enter a path prefix' : undefined),
      });
      if (!from) return;
      const [folder] = (await vscode.window.showOpenDialog({ title: `Add a path mapping (2/2): the local folder for ${from}`, canSelectFiles: false, canSelectFolders: true, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri })) ?? [];
      if (!folder) return;
      const mappings = [...config.get(ProfileSettings.pathMappings), { from: from.trim(), to: folder.fsPath }];
      await config.update(ProfileSettings.pathMappings, mappings, vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
      vscode.window.setStatusBarMessage(`Go Trace Lens: ${from} → ${folder.fsPath}`, 4000);
    }),
    vscode.commands.registerCommand(ProfileCommands.toggleHeatAnnotations, async () => {
      await config.update(ProfileSettings.heatAnnotations, !config.get(ProfileSettings.heatAnnotations), vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand(ProfileCommands.showFlameGraph, () => flame.show()),
    vscode.commands.registerCommand(ProfileCommands.revealInFlameGraph, (functionName?: string) => flame.show(typeof functionName === 'string' ? functionName : undefined)),
  );
  return { open: openFile, compare };
}
