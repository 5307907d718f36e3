// "Discover local services": probes this machine's listening loopback ports for a Go pprof index (the
// capture core's discovery), with a cancellable notification, and offers what answers as endpoints. Each
// row has a button that saves it into the user settings' `goTraceLens.endpoints`.

import * as vscode from 'vscode';
import { CaptureSettings } from '../../../common/settings';
import { discoverLocalServices, type DiscoveredService, type DiscoveryResult } from '../../../core/capture/index.node';
import { isCaptureError } from '../../../core/capture';
import type { Config } from '../config';
import { addEndpointSetting, endpointChoice, type EndpointChoice } from './endpointChoices';
import { askForEndpointUrl } from './endpointPicker';

type ServiceItem = vscode.QuickPickItem & { readonly endpoint: EndpointChoice };

const SAVE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('save'), tooltip: 'Save to User Settings…' };

/** "goroutine 12 · heap 40 · allocs 40 · …" from the service's pprof index. */
function profileSummary(service: DiscoveredService): string {
  const shown = service.profiles.filter((p) => p.count !== undefined && p.name !== 'cmdline').slice(0, 8);
  const text = shown.map((p) => `${p.name} ${p.count}`).join(' · ');
  return text === '' ? `${service.profiles.length} profiles` : text;
}

/** Asks for a name and adds the endpoint to the user settings; resolves to the saved endpoint. */
export async function saveEndpointToUserSettings(endpoint: EndpointChoice, config: Config, log: vscode.LogOutputChannel): Promise<EndpointChoice | undefined> {
  const name = await vscode.window.showInputBox({
    title: `Save ${endpoint.displayUrl} to user settings`,
    prompt: 'A name for the endpoint (shown in the picker and used in capture file names).',
    value: endpoint.name,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' ? 'Type a name.' : undefined),
  });
  if (name === undefined) return undefined;
  const current = config.inspect(CaptureSettings.endpoints).globalValue;
  const { list, replaced } = addEndpointSetting(current, { name: name.trim(), url: endpoint.key });
  await config.update(CaptureSettings.endpoints, list, vscode.ConfigurationTarget.Global);
  const message = `${replaced ? 'Updated' : 'Saved'} the endpoint "${name.trim()}" (${endpoint.displayUrl}) in the user settings (${CaptureSettings.endpoints.key}).`;
  log.info(message);
  vscode.window.setStatusBarMessage(`$(check) ${message}`, 5000);
  return endpointChoice(endpoint.key, 'user', { name: name.trim() });
}

/** The services found, undefined when cancelled, or why discovery could not run. */
async function runDiscovery(log: vscode.LogOutputChannel): Promise<DiscoveryResult | { failed: string } | undefined> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Discovering local pprof services', cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        try {
          return await discoverLocalServices({ signal: controller.signal });
        } finally {
          subscription.dispose();
        }
      },
    );
  } catch (error) {
    if (isCaptureError(error) && error.code === 'cancelled') {
      log.info('Discovering local services was cancelled.');
      return undefined;
    }
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Discovering local services failed: ${message}`);
    return { failed: message };
  }
}

const TYPE_URL = 'Type a URL…';

/** Runs discovery and lets the user choose one of the services found; resolves to its endpoint. */
export async function discoverEndpoint(config: Config, log: vscode.LogOutputChannel, title = 'Discovered pprof services'): Promise<EndpointChoice | undefined> {
  const result = await runDiscovery(log);
  if (!result) return undefined;
  if ('failed' in result) {
    const choice = await vscode.window.showErrorMessage(result.failed, TYPE_URL);
    return choice === TYPE_URL ? askForEndpointUrl(title) : undefined;
  }
  log.info(`Discovery probed ${result.probedPorts} listening loopback port(s); ${result.services.length} answered with a pprof index${result.services.length ? `: ${result.services.map((s) => s.baseUrl).join(', ')}` : ''}.`);
  if (result.services.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      `None of this machine's ${result.probedPorts} listening loopback ports answered with a pprof index at /debug/pprof/. Start the service with _ "net/http/pprof" imported, or type its URL.`,
      TYPE_URL,
    );
    return choice === TYPE_URL ? askForEndpointUrl(title) : undefined;
  }
  const items: ServiceItem[] = result.services.map((service) => {
    const endpoint = endpointChoice(service.baseUrl, 'discovered');
    return { endpoint, label: `${service.host.includes(':') ? `[${service.host}]` : service.host}:${service.port}`, description: endpoint.displayUrl, detail: profileSummary(service), buttons: [SAVE_BUTTON] };
  });
  return new Promise((resolve) => {
    const quickPick = vscode.window.createQuickPick<ServiceItem>();
    quickPick.title = title;
    quickPick.placeholder = `${items.length} service${items.length > 1 ? 's' : ''} answered: choose one (its save button also keeps it in your user settings)`;
    quickPick.items = items;
    quickPick.matchOnDescription = true;
    quickPick.ignoreFocusOut = true;
    let chosen: Promise<EndpointChoice | undefined> = Promise.resolve(undefined);
    quickPick.onDidTriggerItemButton((event) => {
      // Saving asks for a name, which replaces the picker; the saved endpoint is then the one chosen.
      chosen = saveEndpointToUserSettings(event.item.endpoint, config, log);
      quickPick.hide();
    });
    quickPick.onDidAccept(() => {
      chosen = Promise.resolve(quickPick.activeItems[0]?.endpoint);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(chosen);
    });
    quickPick.show();
  });
}
