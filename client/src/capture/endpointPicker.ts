// The endpoint picker of the capture commands: the last used endpoint first, then the configured ones and
// the default; typing a URL (or host:port) offers exactly that; "New endpoint…" asks for a URL; "Discover
// local services…" probes this machine. When the workspace is not trusted, a row says how many
// endpoints of its settings are ignored and opens the trust editor.

import * as vscode from 'vscode';
import { CaptureSettings } from '../../../common/settings';
import { DEFAULT_ENDPOINT_URL } from '../../../core/capture';
import { interpretTypedEndpoint, type EndpointChoice, type EndpointList, type EndpointSource } from './endpointChoices';

type PickerItem = vscode.QuickPickItem &
  (
    | { readonly type: 'endpoint'; readonly endpoint: EndpointChoice }
    | { readonly type: 'new' | 'discover' | 'trust' | 'settings' | 'invalid' }
  );

const SOURCE_WORDS: Readonly<Record<EndpointSource, string>> = {
  workspace: 'workspace settings',
  user: 'user settings',
  default: 'default',
  recent: 'used before',
  typed: 'typed',
  discovered: 'discovered',
};

export interface EndpointPickerOptions {
  readonly title: string;
  readonly list: EndpointList;
  /** The key of the endpoint used last (marked so). */
  readonly lastUsedKey?: string;
  /** Runs discovery; resolves to the endpoint the user chose there, if any. */
  readonly discover?: () => Promise<EndpointChoice | undefined>;
}

function endpointItem(endpoint: EndpointChoice, lastUsedKey: string | undefined): PickerItem {
  const where = [endpoint.key === lastUsedKey ? 'last used' : undefined, SOURCE_WORDS[endpoint.source]].filter(Boolean).join(' · ');
  return { type: 'endpoint', endpoint, label: endpoint.name, description: endpoint.displayUrl, detail: where };
}

function typedItem(value: string): PickerItem | undefined {
  const typed = interpretTypedEndpoint(value);
  if (!typed) return undefined;
  if ('error' in typed) return { type: 'invalid', label: '$(error) Not an endpoint URL', detail: typed.error, alwaysShow: true };
  return { type: 'endpoint', endpoint: typed.choice, label: `$(link) ${typed.choice.displayUrl}`, description: 'capture from this URL', alwaysShow: true };
}

/** Asks for a new endpoint's URL, checked as it is typed. */
export async function askForEndpointUrl(title: string): Promise<EndpointChoice | undefined> {
  const url = await vscode.window.showInputBox({
    title,
    prompt: 'The service\'s pprof URL (http or https). A bare http://HOST:PORT means HOST:PORT/debug/pprof.',
    placeHolder: DEFAULT_ENDPOINT_URL,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const typed = interpretTypedEndpoint(text.includes('://') ? text : text.trim() === '' ? '' : `http://${text.trim()}`);
      if (!typed) return 'Type the URL, e.g. http://localhost:6060/debug/pprof.';
      return 'error' in typed ? typed.error : undefined;
    },
  });
  if (url === undefined) return undefined;
  const typed = interpretTypedEndpoint(url.includes('://') ? url : `http://${url.trim()}`);
  return typed && 'choice' in typed ? typed.choice : undefined;
}

/** Shows the picker; resolves to the chosen endpoint, or undefined when the user dismissed it. */
export function pickEndpoint(options: EndpointPickerOptions): Promise<EndpointChoice | undefined> {
  const { list } = options;
  const fixed: PickerItem[] = list.choices.map((e) => endpointItem(e, options.lastUsedKey));
  fixed.push({ type: 'new', label: '$(add) New endpoint…', description: 'type a URL' });
  if (options.discover) fixed.push({ type: 'discover', label: '$(search) Discover local services…', description: 'probe this machine\'s listening ports for /debug/pprof' });
  if (list.ignoredWorkspaceEntries > 0) {
    const n = list.ignoredWorkspaceEntries;
    fixed.push({
      type: 'trust',
      label: `$(shield) ${n} endpoint${n > 1 ? 's' : ''} from this workspace's settings ${n > 1 ? 'are' : 'is'} ignored`,
      description: 'the workspace is not trusted · manage trust',
    });
  }
  const errors = list.problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) {
    fixed.push({ type: 'settings', label: `$(warning) ${errors} endpoint setting${errors > 1 ? 's' : ''} cannot be used`, description: 'see the Go Trace Lens output · open settings' });
  }

  return new Promise((resolve) => {
    const quickPick = vscode.window.createQuickPick<PickerItem>();
    quickPick.title = options.title;
    quickPick.placeholder = 'Choose an endpoint, or type its URL (e.g. localhost:6060)';
    quickPick.matchOnDescription = true;
    quickPick.ignoreFocusOut = true;
    quickPick.items = fixed;
    let settled = false;
    const finish = (value: EndpointChoice | undefined, hide = true): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      if (hide) quickPick.hide();
    };
    quickPick.onDidChangeValue((value) => {
      const extra = typedItem(value);
      const items = extra ? [extra, ...fixed] : fixed;
      quickPick.items = items;
      if (extra) quickPick.activeItems = [extra];
    });
    quickPick.onDidAccept(async () => {
      const item = quickPick.activeItems[0];
      if (!item || item.type === 'invalid') return;
      switch (item.type) {
        case 'endpoint':
          finish(item.endpoint);
          return;
        case 'new':
          settled = true;
          quickPick.hide();
          resolve(await askForEndpointUrl(options.title));
          return;
        case 'discover':
          settled = true;
          quickPick.hide();
          resolve(await options.discover!());
          return;
        case 'trust':
          finish(undefined);
          void vscode.commands.executeCommand('workbench.trust.manage');
          return;
        case 'settings':
          finish(undefined);
          void vscode.commands.executeCommand('workbench.action.openSettings', CaptureSettings.endpoints.key);
          return;
      }
    });
    quickPick.onDidHide(() => {
      finish(undefined, false);
      quickPick.dispose();
    });
    quickPick.show();
  });
}
