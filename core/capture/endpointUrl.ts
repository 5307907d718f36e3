// Endpoint URLs: parsing and checking what the user typed (http and https only, a host, no fragment),
// the base URL of the pprof handlers, the URL of one capture kind, and the default endpoint name.
// Credentials in the URL's user info are taken out of the URL (they travel as a Basic Authorization
// header) so that the URL itself can be shown anywhere.

import { CAPTURE_KINDS, captureQuery, type CaptureKind } from './captureKinds';
import { CaptureError } from './captureError';
import { isLoopbackHost } from './loopback';
import { redactUrl } from './redact';

export const DEFAULT_PPROF_PATH = '/debug/pprof';
export const DEFAULT_ENDPOINT_URL = `http://localhost:6060${DEFAULT_PPROF_PATH}`;

/** Query parameters the capture sets itself; a pasted handler URL's own values are dropped. */
const CAPTURE_OWNED_PARAMS = ['seconds', 'debug'];

export interface ParsedEndpointUrl {
  /** The pprof base URL (`…/debug/pprof`, no trailing slash), without user info. */
  readonly base: URL;
  /** `Basic …` built from user info in the URL, when there was some. */
  readonly basicAuthorization?: string;
  /** The user-info values, for redaction. */
  readonly secrets: readonly string[];
}

function base64Utf8(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function badUrl(raw: string, why: string): CaptureError {
  const shown = raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
  return new CaptureError('bad-url', `"${redactUrl(shown)}" cannot be captured from: ${why}`, { url: redactUrl(shown) });
}

/**
 * Parses an endpoint URL. Accepts the pprof base (`http://host:6060/debug/pprof`), a bare origin (the
 * default `/debug/pprof` path is added) or a pasted handler URL (`…/debug/pprof/heap?debug=1`, reduced to
 * its base). Throws a `bad-url` CaptureError otherwise.
 */
export function parseEndpointUrl(raw: string): ParsedEndpointUrl {
  const text = raw.trim();
  if (text === '') throw badUrl(raw, `the URL is empty. Example: ${DEFAULT_ENDPOINT_URL}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    const hint = /^[\w.-]+:\d+(\/|$)/.test(text) || !text.includes('://') ? ` Add the scheme, e.g. http://${text.replace(/^\/+/, '')}` : '';
    throw badUrl(raw, `it is not a valid URL.${hint || ` Example: ${DEFAULT_ENDPOINT_URL}`}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const example = /^[\w.-]+:$/.test(url.protocol) && /^\d+/.test(url.pathname) ? ` Did you mean http://${text}?` : '';
    throw badUrl(raw, `only http:// and https:// URLs are supported (got ${url.protocol}).${example}`);
  }
  if (url.hostname === '') throw badUrl(raw, `it has no host. Example: ${DEFAULT_ENDPOINT_URL}`);

  const secrets: string[] = [];
  let basicAuthorization: string | undefined;
  if (url.username !== '' || url.password !== '') {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    secrets.push(url.password, password, `${user}:${password}`);
    basicAuthorization = `Basic ${base64Utf8(`${user}:${password}`)}`;
    url.username = '';
    url.password = '';
  }
  url.hash = '';

  const segments = url.pathname.split('/').filter((s) => s !== '');
  const last = segments[segments.length - 1];
  const kindPaths = new Set(CAPTURE_KINDS.map((k) => k.path));
  if (segments.length === 0) {
    segments.push(...DEFAULT_PPROF_PATH.split('/').filter((s) => s !== ''));
  } else if (segments.length >= 2 && last !== undefined && kindPaths.has(last)) {
    segments.pop();
  }
  url.pathname = `/${segments.join('/')}`;
  for (const name of CAPTURE_OWNED_PARAMS) url.searchParams.delete(name);
  if ([...url.searchParams.keys()].length === 0) url.search = '';

  return { base: url, ...(basicAuthorization !== undefined ? { basicAuthorization } : {}), secrets };
}

/** The URL of one capture: `<base>/<kind path>?seconds=N` (other base query parameters kept). */
export function buildCaptureUrl(base: URL, kind: CaptureKind, seconds: number | undefined): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${kind.path}`;
  for (const [name, value] of Object.entries(captureQuery(kind, seconds))) url.searchParams.set(name, value);
  return url;
}

/** The pprof index page of a base URL (Go serves it at `…/debug/pprof/`, with the slash). */
export function pprofIndexUrl(base: URL): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/`;
  return url;
}

/** The name an endpoint gets when none is configured: `host-port`, e.g. `localhost-6060`. */
export function defaultEndpointName(base: URL): string {
  const port = base.port || (base.protocol === 'https:' ? '443' : '80');
  return `${base.hostname.replace(/^\[|\]$/g, '')}-${port}`;
}

/**
 * Whether an endpoint URL points at this machine's loopback interface (the extension asks before the
 * first capture from any other host). Throws a `bad-url` CaptureError for a URL that cannot be captured.
 */
export function isLoopbackEndpoint(baseUrl: string): boolean {
  return isLoopbackHost(parseEndpointUrl(baseUrl).base.hostname);
}
