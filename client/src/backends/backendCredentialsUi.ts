// "Go Trace Lens: Set Backend Credentials…": the Authorization credentials of a backend (a bearer token
// or basic auth, asked and stored exactly as a capture endpoint's, in VS Code's SecretStorage) and, for
// Tempo and Pyroscope, the tenant sent as X-Scope-OrgID. Never in settings, never in the log.

import * as vscode from 'vscode';
import { CredentialStore, promptForCredentials } from '../capture/credentialsUi';
import type { ConfiguredBackend } from './backendList';
import { backendCredentialsKey, backendTenantKey, takesTenant, type BackendSecret } from './backendSecrets';

export class BackendSecretStore {
  readonly credentials: CredentialStore;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.credentials = new CredentialStore(secrets);
  }

  async get(backend: ConfiguredBackend): Promise<BackendSecret> {
    const auth = await this.credentials.get(backendCredentialsKey(backend));
    const tenant = (await this.secrets.get(backendTenantKey(backend)))?.trim();
    return { ...(auth ? { auth } : {}), ...(tenant ? { tenant } : {}) };
  }

  async setTenant(backend: ConfiguredBackend, tenant: string): Promise<void> {
    if (tenant.trim() === '') await this.secrets.delete(backendTenantKey(backend));
    else await this.secrets.store(backendTenantKey(backend), tenant.trim());
  }
}

async function promptForTenant(store: BackendSecretStore, backend: ConfiguredBackend, where: string, log: vscode.LogOutputChannel): Promise<boolean> {
  const tenant = await vscode.window.showInputBox({
    title: `Tenant for ${where}`,
    prompt: 'Sent as X-Scope-OrgID with every request to this backend; empty to send none.',
    value: (await store.get(backend)).tenant ?? '',
    ignoreFocusOut: true,
    validateInput: (text) => (/[\r\n\0]/.test(text) ? 'A tenant cannot contain line breaks.' : undefined),
  });
  if (tenant === undefined) return false;
  await store.setTenant(backend, tenant);
  log.info(tenant.trim() === '' ? `Removed the tenant of ${where}.` : `Stored the tenant ${tenant.trim()} for ${where} in VS Code's secret storage.`);
  return true;
}

/** Asks for a backend's credentials and stores them; true when something was stored (the caller may retry). */
export async function promptForBackendCredentials(store: BackendSecretStore, backend: ConfiguredBackend, log: vscode.LogOutputChannel): Promise<boolean> {
  const displayUrl = backend.key.replace(/\/$/, '');
  const where = `${backend.name} (${backend.info.label} at ${displayUrl})`;
  if (takesTenant(backend)) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(key) Authorization', description: 'a bearer token, or a user name and password', tenant: false },
        { label: '$(organization) Tenant', description: 'X-Scope-OrgID, for multi-tenant mode', tenant: true },
      ],
      { title: `Credentials for ${where}`, ignoreFocusOut: true },
    );
    if (!picked) return false;
    if (picked.tenant) return promptForTenant(store, backend, where, log);
  }
  return promptForCredentials(store.credentials, { name: backend.name, displayUrl, key: backendCredentialsKey(backend) }, log);
}
