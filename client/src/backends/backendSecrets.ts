// A backend's credentials as kept in VS Code's SecretStorage: the Authorization part (a bearer token or
// basic auth) is the capture feature's kind of credentials, stored under a key of the backend's own
// (`backend:<kind>:<base URL>`, so a renamed entry keeps them), and the tenant sent as X-Scope-OrgID
// (Tempo's and Pyroscope's multi-tenant mode) beside it. This module turns them into the BackendSource
// the core takes and describes them without the secret. Pure: no vscode import.

import type { BackendSource } from '../../../core/backends';
import type { EndpointCredentials } from '../capture/credentials';
import type { ConfiguredBackend } from './backendList';

export interface BackendSecret {
  readonly auth?: EndpointCredentials;
  readonly tenant?: string;
}

/** The key the Authorization credentials are stored under (the capture's store adds its prefix). */
export function backendCredentialsKey(backend: Pick<ConfiguredBackend, 'kind' | 'key'>): string {
  return `backend:${backend.kind}:${backend.key}`;
}

/** The SecretStorage key of a backend's tenant. */
export function backendTenantKey(backend: Pick<ConfiguredBackend, 'kind' | 'key'>): string {
  return `goTraceLens.backends.tenant:${backend.kind}:${backend.key}`;
}

/** Whether the kind takes a tenant header (multi-tenant Tempo and Pyroscope). */
export function takesTenant(backend: Pick<ConfiguredBackend, 'kind'>): boolean {
  return backend.kind === 'tempo' || backend.kind === 'pyroscope';
}

/** What the backends core is given for a configured backend and its stored credentials. */
export function backendSource(backend: ConfiguredBackend, secret: BackendSecret | undefined): BackendSource {
  const auth = secret?.auth;
  return {
    name: backend.name,
    kind: backend.kind,
    url: backend.url,
    ...(auth ? { credentials: auth.scheme === 'bearer' ? { bearerToken: auth.token } : { username: auth.user, password: auth.password } } : {}),
    ...(secret?.tenant ? { tenant: secret.tenant } : {}),
  };
}

/** For messages and the log: "a bearer token and tenant acme"; never the secret. */
export function describeBackendSecret(secret: BackendSecret): string {
  const auth = secret.auth ? (secret.auth.scheme === 'bearer' ? 'a bearer token' : `basic auth as ${secret.auth.user}`) : '';
  const tenant = secret.tenant ? `tenant ${secret.tenant}` : '';
  return [auth, tenant].filter((p) => p !== '').join(' and ') || 'nothing';
}
