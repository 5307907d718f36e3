// What a backend is to the rest of the product: its kind, where it is (`{name, kind, url}`, as the
// `goTraceLens.backends` setting will list them), and how to authenticate (a bearer token or basic auth, a
// tenant header such as Tempo's and Pyroscope's X-Scope-OrgID, extra headers). `resolveBackend` checks a
// description once and turns it into the base URL and request headers every call uses; credentials in the
// URL's user info move into an Authorization header so the URL can be shown anywhere.

import { CaptureError, checkHeaders, isSensitiveHeader, mergeHeaders, Redactor } from '../capture';
import { BackendError } from './backendError';

export type TraceBackendKind = 'jaeger' | 'tempo' | 'zipkin';
export type ProfileBackendKind = 'pyroscope' | 'parca';
export type BackendKind = TraceBackendKind | ProfileBackendKind;

export interface BackendKindInfo {
  readonly kind: BackendKind;
  /** The product's name, for messages: "Jaeger", "Grafana Tempo". */
  readonly label: string;
  readonly serves: 'traces' | 'profiles';
  /** The URL of a default local installation, for examples in messages. */
  readonly exampleUrl: string;
}

export const BACKEND_KINDS: readonly BackendKindInfo[] = [
  { kind: 'jaeger', label: 'Jaeger', serves: 'traces', exampleUrl: 'http://localhost:16686' },
  { kind: 'tempo', label: 'Grafana Tempo', serves: 'traces', exampleUrl: 'http://localhost:3200' },
  { kind: 'zipkin', label: 'Zipkin', serves: 'traces', exampleUrl: 'http://localhost:9411' },
  { kind: 'pyroscope', label: 'Grafana Pyroscope', serves: 'profiles', exampleUrl: 'http://localhost:4040' },
  { kind: 'parca', label: 'Parca', serves: 'profiles', exampleUrl: 'http://localhost:7070' },
];

export const TRACE_BACKEND_KINDS: readonly TraceBackendKind[] = ['jaeger', 'tempo', 'zipkin'];
export const PROFILE_BACKEND_KINDS: readonly ProfileBackendKind[] = ['pyroscope', 'parca'];

export type BackendCredentials = { readonly bearerToken: string } | { readonly username: string; readonly password: string };

export interface BackendSource {
  /** Shown in messages; defaults to the kind's label. */
  readonly name?: string;
  readonly kind: BackendKind;
  /** Where the backend's query API is: `http://tempo:3200`, or with the base path it is served under. */
  readonly url: string;
  readonly credentials?: BackendCredentials;
  /** Sent as X-Scope-OrgID (Tempo, Pyroscope, and proxies in front of others in multi-tenant mode). */
  readonly tenant?: string;
  /** Any other headers (never logged or shown when they carry credentials). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A checked backend: what every request of the core is built from. */
export interface ResolvedBackend {
  readonly kind: BackendKind;
  readonly info: BackendKindInfo;
  /** For messages: "Jaeger at http://localhost:16686" (the name when one was given). */
  readonly title: string;
  /** The base URL without user info, query or fragment; its path never ends with a slash. */
  readonly base: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly redactor: Redactor;
}

export const TENANT_HEADER = 'X-Scope-OrgID';

export function backendKindInfo(kind: string): BackendKindInfo | undefined {
  return BACKEND_KINDS.find((k) => k.kind === kind);
}

function base64Utf8(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** The Authorization header value for credentials. */
export function authorizationFor(credentials: BackendCredentials): string {
  if ('bearerToken' in credentials) {
    const token = credentials.bearerToken.trim();
    if (token === '' || /[\s\0]/.test(token)) throw new BackendError('bad-header', 'The bearer token is empty or contains white space; paste the token alone, without "Bearer".');
    return `Bearer ${token}`;
  }
  if (credentials.username.includes(':')) throw new BackendError('bad-header', 'A basic-auth user name cannot contain ":"; the password comes after the first colon.');
  if (/[\r\n\0]/.test(credentials.username + credentials.password)) throw new BackendError('bad-header', 'A basic-auth user name or password cannot contain line breaks.');
  return `Basic ${base64Utf8(`${credentials.username}:${credentials.password}`)}`;
}

function badUrl(raw: string, info: BackendKindInfo, why: string): BackendError {
  const shown = new Redactor().url(raw.length > 200 ? `${raw.slice(0, 200)}…` : raw);
  return new BackendError('bad-backend', `"${shown}" is not a ${info.label} URL: ${why} Example: ${info.exampleUrl}`, { url: shown });
}

function parseBase(raw: string, info: BackendKindInfo): { base: URL; userInfo?: { user: string; password: string } } {
  const text = raw.trim();
  if (text === '') throw badUrl(raw, info, 'it is empty.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(raw, info, text.includes('://') ? 'it is not a valid URL.' : `it has no scheme; add http:// or https://.`);
  }
  if (/^[A-Za-z0-9.-]+:\d+(\/|$)/.test(text)) throw badUrl(raw, info, 'it has no scheme; add http:// or https://.');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badUrl(raw, info, `only http:// and https:// are supported (got ${url.protocol}).`);
  if (url.hostname === '') throw badUrl(raw, info, 'it has no host.');
  let userInfo: { user: string; password: string } | undefined;
  if (url.username !== '' || url.password !== '') {
    userInfo = { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    url.username = '';
    url.password = '';
  }
  url.hash = '';
  url.search = '';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return { base: url, ...(userInfo ? { userInfo } : {}) };
}

/** Checks a backend description and works out its base URL and headers; throws a BackendError. */
export function resolveBackend(source: BackendSource): ResolvedBackend {
  const info = backendKindInfo(source.kind);
  if (!info) throw new BackendError('bad-backend', `"${String(source.kind).slice(0, 40)}" is not a backend kind. Kinds: ${BACKEND_KINDS.map((k) => k.kind).join(', ')}.`);
  const { base, userInfo } = parseBase(source.url, info);
  const secrets: string[] = [];
  const own: Record<string, string> = {};
  if (userInfo) {
    own.Authorization = authorizationFor({ username: userInfo.user, password: userInfo.password });
    secrets.push(userInfo.password, `${userInfo.user}:${userInfo.password}`);
  }
  if (source.credentials) {
    own.Authorization = authorizationFor(source.credentials);
    if ('password' in source.credentials) secrets.push(source.credentials.password, `${source.credentials.username}:${source.credentials.password}`);
  }
  const tenant = source.tenant?.trim();
  if (tenant) own[TENANT_HEADER] = tenant;
  const headers = mergeHeaders(own, source.headers);
  try {
    checkHeaders(headers);
  } catch (error) {
    if (error instanceof CaptureError) throw new BackendError('bad-header', error.message.replace('set by the capture itself; remove it from the endpoint\'s headers', 'set by Go Trace Lens itself; remove it from the backend\'s headers'));
    throw error;
  }
  const redactor = Redactor.forHeaders(headers, secrets);
  const name = source.name?.trim();
  const where = redactor.url(base).replace(/\/$/, '');
  return {
    kind: info.kind,
    info,
    title: name ? `${name} (${info.label} at ${where})` : `${info.label} at ${where}`,
    base,
    headers,
    redactor,
  };
}

/** Whether any header sent to the backend carries a credential (messages about 401/403 differ). */
export function sendsCredentials(backend: ResolvedBackend): boolean {
  return Object.keys(backend.headers).some((name) => isSensitiveHeader(name));
}

/** Throws unless the backend serves `what`. */
export function requireServes(backend: ResolvedBackend, what: 'traces' | 'profiles'): void {
  if (backend.info.serves === what) return;
  const kinds = BACKEND_KINDS.filter((k) => k.serves === what).map((k) => k.kind);
  throw new BackendError('bad-backend', `${backend.title} serves ${backend.info.serves}, not ${what}. For ${what} use a backend of kind ${kinds.join(' or ')}.`);
}
