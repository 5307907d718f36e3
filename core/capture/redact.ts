// Keeps credentials out of messages and logs. A Redactor knows the secret values of one capture (the
// sensitive headers it sends and any user:password from its URL) and replaces every occurrence of them
// in a text; URLs are shown without their user info and with sensitive query values masked.

export const REDACTED = '[redacted]';

/** Header names whose values are credentials. */
const SENSITIVE_HEADER = /authorization|cookie|token|secret|passw|api[-_]?key|session|credential|auth/i;

/** Query parameter names whose values are credentials. */
const SENSITIVE_QUERY = /^(access_?token|token|auth|key|api_?key|apikey|secret|password|passwd|pwd|sig|signature|x-amz-signature|session)$/i;

/** Shorter values are too likely to occur in ordinary text to be replaced (and are weak secrets anyway). */
const MIN_SECRET_LENGTH = 3;

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

function decodeBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(text)) return undefined;
  try {
    return atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
}

/** The strings to hide for one header value: the value, its token after the scheme, basic-auth parts. */
function secretsOfHeader(name: string, value: string): string[] {
  const secrets = [value];
  const scheme = /^\s*(\S+)\s+(.+?)\s*$/.exec(value);
  if (scheme) {
    secrets.push(scheme[2]!);
    if (scheme[1]!.toLowerCase() === 'basic') {
      const decoded = decodeBase64(scheme[2]!);
      if (decoded !== undefined) {
        secrets.push(decoded);
        const colon = decoded.indexOf(':');
        if (colon !== -1) secrets.push(decoded.slice(colon + 1));
      }
    }
  }
  if (/cookie/i.test(name)) {
    for (const part of value.split(';')) {
      const eq = part.indexOf('=');
      if (eq !== -1) secrets.push(part.slice(eq + 1).trim());
    }
  }
  return secrets;
}

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string> = []) {
    const unique = new Set<string>();
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      unique.add(secret);
      // Servers and libraries may echo a value URL-encoded.
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) unique.add(encoded);
    }
    // Longest first, so a value is hidden whole before any part of it is.
    this.secrets = [...unique].sort((a, b) => b.length - a.length);
  }

  /** A redactor for the sensitive ones among `headers`, plus any extra secrets. */
  static forHeaders(headers: Readonly<Record<string, string>>, extra: Iterable<string> = []): Redactor {
    const secrets: string[] = [...extra];
    for (const [name, value] of Object.entries(headers)) {
      if (isSensitiveHeader(name)) secrets.push(...secretsOfHeader(name, value));
    }
    return new Redactor(secrets);
  }

  /** `text` with every known secret replaced by [redacted]. */
  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** A URL for display: no user info, sensitive query values masked, known secrets hidden. */
  url(url: URL | string): string {
    return this.text(redactUrl(url));
  }

  /** Header lines for a log: names kept, sensitive values hidden. */
  headers(headers: Readonly<Record<string, string>>): string {
    return Object.entries(headers)
      .map(([name, value]) => `${name}: ${isSensitiveHeader(name) ? REDACTED : this.text(value)}`)
      .join(', ');
  }
}

/** A URL without user info and with sensitive query values masked; unparseable text is returned masked. */
export function redactUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    return String(url).replace(/\/\/[^/@\s]*@/, `//${REDACTED}@`);
  }
  const hadUserInfo = parsed.username !== '' || parsed.password !== '';
  parsed.username = '';
  parsed.password = '';
  if (parsed.search) {
    const pairs = parsed.search.slice(1).split('&').map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && SENSITIVE_QUERY.test(safeDecode(name)) ? `${name}=${REDACTED}` : pair;
    });
    parsed.search = `?${pairs.join('&')}`;
  }
  const shown = parsed.href;
  return hadUserInfo ? shown.replace('//', `//${REDACTED}@`) : shown;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
