// Credentials of one endpoint (a bearer token, or a basic-auth user and password) as they are kept in
// VS Code's SecretStorage: the storage key per endpoint, the stored text, the Authorization header they
// become, checks of what the user types, and a description that never contains the secret. Pure: no
// vscode import; the SecretStorage calls live in credentialsUi.ts.

export type EndpointCredentials =
  | { readonly scheme: 'bearer'; readonly token: string }
  | { readonly scheme: 'basic'; readonly user: string; readonly password: string };

const KEY_PREFIX = 'goTraceLens.capture.credentials:';

/** The SecretStorage key of an endpoint's credentials (`endpointKey` is its base URL without user info). */
export function credentialsSecretKey(endpointKey: string): string {
  return `${KEY_PREFIX}${endpointKey}`;
}

export function authorizationHeader(credentials: EndpointCredentials): string {
  if (credentials.scheme === 'bearer') return `Bearer ${credentials.token}`;
  const bytes = new TextEncoder().encode(`${credentials.user}:${credentials.password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** The headers the credentials add to a capture request. */
export function credentialHeaders(credentials: EndpointCredentials | undefined): Record<string, string> {
  return credentials ? { Authorization: authorizationHeader(credentials) } : {};
}

export function serializeCredentials(credentials: EndpointCredentials): string {
  return JSON.stringify(credentials);
}

/** Reads stored credentials back; anything malformed counts as none. */
export function parseStoredCredentials(text: string | undefined): EndpointCredentials | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record.scheme === 'bearer' && typeof record.token === 'string' && record.token !== '') return { scheme: 'bearer', token: record.token };
  if (record.scheme === 'basic' && typeof record.user === 'string' && typeof record.password === 'string') {
    return { scheme: 'basic', user: record.user, password: record.password };
  }
  return undefined;
}

/** What the user may paste as a token: "Bearer " in front is dropped. */
export function normalizeToken(text: string): string {
  return text.trim().replace(/^bearer(\s+|$)/i, '');
}

/** Why a typed token cannot be used, or undefined when it can. */
export function tokenProblem(text: string): string | undefined {
  const token = normalizeToken(text);
  if (token === '') return 'Paste the token (without "Bearer ").';
  if (/[\s\0]/.test(token)) return 'A bearer token is one word: it cannot contain spaces or line breaks.';
  return undefined;
}

/** Why a typed basic-auth user name cannot be used, or undefined when it can. */
export function userProblem(text: string): string | undefined {
  if (text === '') return 'Type the user name.';
  if (text.includes(':')) return 'A basic-auth user name cannot contain ":".';
  if (/[\r\n\0]/.test(text)) return 'A user name cannot contain line breaks.';
  return undefined;
}

/** Why a typed password cannot be used, or undefined when it can. */
export function passwordProblem(text: string): string | undefined {
  return /[\r\n\0]/.test(text) ? 'A password cannot contain line breaks.' : undefined;
}

/** For messages and logs: "a bearer token" or "basic auth as alice"; never the secret. */
export function describeCredentials(credentials: EndpointCredentials): string {
  return credentials.scheme === 'bearer' ? 'a bearer token' : `basic auth as ${credentials.user}`;
}
