// "Go Trace Lens: Set Credentials…": a bearer token or a basic-auth user and password per endpoint, typed
// into password boxes and kept in VS Code's SecretStorage (never in settings, never in the log). Also
// the store the capture reads them back from.

import * as vscode from 'vscode';
import type { EndpointChoice } from './endpointChoices';
import {
  credentialsSecretKey,
  describeCredentials,
  normalizeToken,
  parseStoredCredentials,
  passwordProblem,
  serializeCredentials,
  tokenProblem,
  userProblem,
  type EndpointCredentials,
} from './credentials';

export class CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(endpointKey: string): Promise<EndpointCredentials | undefined> {
    return parseStoredCredentials(await this.secrets.get(credentialsSecretKey(endpointKey)));
  }

  async set(endpointKey: string, credentials: EndpointCredentials): Promise<void> {
    await this.secrets.store(credentialsSecretKey(endpointKey), serializeCredentials(credentials));
  }

  async delete(endpointKey: string): Promise<void> {
    await this.secrets.delete(credentialsSecretKey(endpointKey));
  }
}

type SchemeItem = vscode.QuickPickItem & { readonly scheme: 'bearer' | 'basic' | 'remove' };

/**
 * Asks for the credentials of `endpoint` and stores them. Returns true when credentials were stored
 * (the caller may then retry a capture), false when the user cancelled or removed them.
 */
export async function promptForCredentials(store: CredentialStore, endpoint: Pick<EndpointChoice, 'name' | 'displayUrl' | 'key'>, log: vscode.LogOutputChannel): Promise<boolean> {
  const existing = await store.get(endpoint.key);
  const where = `${endpoint.name} (${endpoint.displayUrl})`;
  const items: SchemeItem[] = [
    { scheme: 'bearer', label: '$(key) Bearer token', description: 'Authorization: Bearer …' },
    { scheme: 'basic', label: '$(account) User name and password', description: 'Authorization: Basic … (basic auth)' },
  ];
  if (existing) items.push({ scheme: 'remove', label: '$(trash) Remove the stored credentials', description: `now: ${describeCredentials(existing)}` });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Credentials for ${where}`,
    placeHolder: existing ? `Stored now: ${describeCredentials(existing)}. Replace or remove them.` : 'How does the service check who is asking?',
    ignoreFocusOut: true,
  });
  if (!picked) return false;

  if (picked.scheme === 'remove') {
    await store.delete(endpoint.key);
    log.info(`Removed the stored credentials of ${where}.`);
    return false;
  }

  let credentials: EndpointCredentials;
  if (picked.scheme === 'bearer') {
    const token = await vscode.window.showInputBox({
      title: `Bearer token for ${where}`,
      prompt: 'Kept in VS Code\'s secret storage and sent only to this endpoint.',
      placeHolder: 'the token (without "Bearer ")',
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => tokenProblem(text),
    });
    if (token === undefined) return false;
    credentials = { scheme: 'bearer', token: normalizeToken(token) };
  } else {
    const user = await vscode.window.showInputBox({
      title: `User name for ${where}`,
      prompt: 'Basic auth: the user name.',
      value: existing?.scheme === 'basic' ? existing.user : '',
      ignoreFocusOut: true,
      validateInput: (text) => userProblem(text),
    });
    if (user === undefined) return false;
    const password = await vscode.window.showInputBox({
      title: `Password of ${user} for ${where}`,
      prompt: 'Kept in VS Code\'s secret storage and sent only to this endpoint.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => passwordProblem(text),
    });
    if (password === undefined) return false;
    credentials = { scheme: 'basic', user, password };
  }
  await store.set(endpoint.key, credentials);
  log.info(`Stored ${describeCredentials(credentials)} for ${where} in VS Code's secret storage.`);
  return true;
}
