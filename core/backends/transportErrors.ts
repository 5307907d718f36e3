// Failures below HTTP (the socket, DNS, TLS, a body cut short, a size cap, a deadline, a cancel) as
// BackendErrors naming the backend and what to check. The system error's own text is not copied (it says
// nothing a person can act on); its code is kept in `details.systemCode`.

import { formatBytes, formatDuration } from '../capture';
import { BackendError } from './backendError';
import type { ResolvedBackend } from './backendSource';

export interface TransportFailure {
  /** The URL for display (credentials removed). */
  readonly url: string;
  /** `host:port` for messages. */
  readonly hostPort: string;
  readonly what: string;
  /** Whether the answer's headers had arrived. */
  readonly answered: boolean;
  readonly bytes: number;
  readonly expectedBytes?: number;
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** Certificate problems a person can name, by Node's error code. */
const CERTIFICATE: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in an untrusted self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of its certificate is not trusted here',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
};

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** The BackendError for a socket, DNS or TLS error during one request. */
export function networkError(backend: ResolvedBackend, error: unknown, f: TransportFailure): BackendError {
  const code = codeOf(error);
  const details = { url: f.url, systemCode: code, bytesReceived: f.bytes };
  const label = backend.info.label;
  if (f.answered) return truncated(f, code);
  if (code === 'ECONNREFUSED') {
    return new BackendError('connection-refused', `Connection refused by ${f.hostPort} (${backend.title}). Is ${label} running and serving its query API on that port (e.g. ${backend.info.exampleUrl})?`, details);
  }
  if (DNS.has(code)) {
    return new BackendError('dns', `The host name in ${f.url} could not be resolved (${code}). Check the spelling of the backend's host, your DNS or VPN, or use an IP address.`, details);
  }
  if (UNREACHABLE.has(code)) return new BackendError('unreachable', `${f.hostPort} cannot be reached from this machine (${code}). Check the network, VPN or firewall between here and ${label}.`, details);
  if (code === 'ETIMEDOUT') return new BackendError('timeout', `Connecting to ${f.hostPort} timed out (${code}). Check that ${label} is up and that no firewall drops the connection.`, details);
  const certificate = CERTIFICATE[code];
  if (certificate) {
    return new BackendError('tls', `The TLS connection to ${f.hostPort} was refused because ${certificate} (${code}). Trust its certificate authority (NODE_EXTRA_CA_CERTS) or fix the certificate; certificate checks are never turned off.`, details);
  }
  const message = String((error as Error | null)?.message ?? '');
  if (/^ERR_SSL_|^ERR_TLS_|^CERT_|^EPROTO$/.test(code)) {
    const plain = /wrong version number|packet length too long|http request/i.test(message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER';
    return new BackendError('tls', plain ? `${f.hostPort} did not answer with TLS (${code}): it serves plain HTTP. Use http:// in the backend's URL.` : `The TLS handshake with ${f.hostPort} failed (${code}). Check that ${label} serves TLS on this port with a certificate trusted here.`, details);
  }
  const tlsHint = f.url.startsWith('https:') ? '' : ' If it serves TLS, use https://.';
  if (code.startsWith('HPE_')) return new BackendError('connection-closed', `${f.hostPort} answered with something that is not HTTP (${code}). Check that the port is ${label}'s HTTP port.${tlsHint}`, details);
  return new BackendError('connection-closed', `${f.hostPort} closed the connection without answering (${code}) while ${f.what} was asked for. Check that the port is ${label}'s HTTP port and that it did not crash.${tlsHint}`, details);
}

/** The answer stopped before its end: a closed connection, or fewer bytes than announced. */
export function truncated(f: TransportFailure, code?: string): BackendError {
  const of = f.expectedBytes !== undefined ? ` of the ${formatBytes(f.expectedBytes)} announced` : '';
  const why = code ? ` (${code})` : '';
  return new BackendError(
    'truncated',
    `The answer with ${f.what} from ${f.url} stopped after ${formatBytes(f.bytes)}${of}${why}: it is incomplete and was not used. Retry; if it keeps happening, a proxy or the backend's write timeout may be cutting long answers.`,
    { url: f.url, bytesReceived: f.bytes, ...(code ? { systemCode: code } : {}) },
  );
}

export function tooLarge(f: TransportFailure, limit: number, announced: number | undefined): BackendError {
  const what = announced !== undefined ? `announces ${formatBytes(announced)}` : `sent more than ${formatBytes(limit)}`;
  return new BackendError(
    'too-large',
    `The answer with ${f.what} from ${f.url} ${what}, over the size cap of ${formatBytes(limit)}; it was stopped and nothing was kept. Raise the size cap, or narrow the query (a shorter time range, a smaller limit).`,
    { url: f.url, limitBytes: limit, bytesReceived: f.bytes },
  );
}

export function timedOut(f: TransportFailure, after: 'connect' | 'deadline' | 'silence', ms: number): BackendError {
  const message =
    after === 'connect'
      ? `Connecting to ${f.hostPort} took longer than ${formatDuration(ms)} (${f.url}).`
      : after === 'silence'
      ? f.answered
        ? `The answer with ${f.what} from ${f.url} stalled: nothing arrived for ${formatDuration(ms)} after ${formatBytes(f.bytes)}.`
        : `${f.hostPort} accepted the connection but did not answer within ${formatDuration(ms)} (${f.url}).`
      : `Asking ${f.url} for ${f.what} did not complete within ${formatDuration(ms)}${f.answered ? `; only ${formatBytes(f.bytes)} arrived` : '; no answer arrived'}.`;
  return new BackendError('timeout', `${message} The backend or the network is slow or stuck: retry, narrow the query, or allow more time.`, { url: f.url, bytesReceived: f.bytes });
}

export function cancelled(f: Pick<TransportFailure, 'url' | 'what'>): BackendError {
  return new BackendError('cancelled', `Asking ${f.url} for ${f.what} was cancelled; nothing was kept.`, { url: f.url });
}
