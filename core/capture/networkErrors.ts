// Turns a socket, DNS or TLS error from Node into a CaptureError that says what happened and what to
// do. The error's own text is never copied whole (it can be long and says nothing to act on); its code is
// kept in `details.systemCode`.

import { CaptureError } from './captureError';
import { formatBytes } from './formatting';

export interface NetworkErrorContext {
  /** The request URL for display (credentials removed). */
  readonly url: string;
  /** `host:port` for messages. */
  readonly hostPort: string;
  readonly hostname: string;
  readonly https: boolean;
  /** Whether the response headers had arrived when the error happened. */
  readonly responseStarted: boolean;
  readonly bytesReceived: number;
  /** Content-Length of the response, when it announced one. */
  readonly expectedBytes?: number;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

const CERTIFICATE_CODES: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed certificate that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer of its certificate is unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of its certificate is not trusted here',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  CERT_REVOKED: 'its certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'the signature of its certificate is invalid',
  CERT_UNTRUSTED: 'its certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
};

function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isTlsCode(code: string): boolean {
  return code in CERTIFICATE_CODES || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('CERT_') || code === 'EPROTO';
}

/** The CaptureError for a failure of the connection (not of the HTTP exchange) of one capture. */
export function classifyNetworkError(error: unknown, ctx: NetworkErrorContext): CaptureError {
  const code = systemCode(error) ?? 'UNKNOWN';
  const details = { url: ctx.url, systemCode: code, bytesReceived: ctx.bytesReceived };

  if (ctx.responseStarted) {
    const of = ctx.expectedBytes !== undefined ? ` of the ${formatBytes(ctx.expectedBytes)} announced` : '';
    return new CaptureError(
      'truncated',
      `The connection to ${ctx.hostPort} broke after ${formatBytes(ctx.bytesReceived)}${of} of ${ctx.url} (${code}): the body is incomplete and was not kept. Retry; if it keeps happening, a proxy or the service's WriteTimeout may be cutting long responses.`,
      details,
    );
  }
  if (code === 'ECONNREFUSED') {
    return new CaptureError(
      'connection-refused',
      `Connection refused by ${ctx.hostPort} (${ctx.url}). Is the service running and listening on that port, and does it import net/http/pprof (import _ "net/http/pprof")?`,
      details,
    );
  }
  if (DNS_CODES.has(code)) {
    return new CaptureError(
      'dns',
      `The host name "${ctx.hostname}" could not be resolved (${code}). Check the spelling of the endpoint's host, your DNS or VPN, or use an IP address.`,
      details,
    );
  }
  if (UNREACHABLE_CODES.has(code)) {
    return new CaptureError('unreachable', `${ctx.hostPort} cannot be reached from this machine (${code}). Check the network, VPN or firewall between here and the service.`, details);
  }
  if (code === 'ETIMEDOUT') {
    return new CaptureError('timeout', `Connecting to ${ctx.hostPort} timed out (${code}). Check that the host is up and that no firewall drops the connection.`, details);
  }
  if (isTlsCode(code)) {
    const reason = CERTIFICATE_CODES[code];
    if (reason) {
      return new CaptureError(
        'tls',
        `The TLS connection to ${ctx.hostPort} was refused because ${reason} (${code}). Trust the service's certificate authority (NODE_EXTRA_CA_CERTS, or the endpoint's CA certificate), or fix the certificate; certificate checks are never turned off.`,
        details,
      );
    }
    const message = String((error as Error)?.message ?? '');
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || (code === 'EPROTO' && /wrong version number|packet length too long|unknown protocol|http request/i.test(message))) {
      return new CaptureError('tls', `${ctx.hostPort} did not answer with TLS (${code}): it probably serves plain HTTP. Use http:// instead of https:// in the endpoint.`, details);
    }
    return new CaptureError('tls', `The TLS handshake with ${ctx.hostPort} failed (${code}). Check that the service serves TLS on this port and that its certificate is trusted here.`, details);
  }
  if (code.startsWith('HPE_')) {
    const tlsHint = ctx.https ? '' : ' If the service serves TLS, use https://.';
    return new CaptureError('connection-closed', `${ctx.hostPort} answered with something that is not HTTP (${code}). Check that the port is the service's HTTP port.${tlsHint}`, details);
  }
  if (CLOSED_CODES.has(code) || /socket hang up/i.test(String((error as Error)?.message))) {
    const tlsHint = ctx.https ? '' : ' If the service serves TLS, use https://.';
    return new CaptureError('connection-closed', `${ctx.hostPort} closed the connection without answering (${code}). Check that the port is the service's HTTP port and that the service did not crash.${tlsHint}`, details);
  }
  return new CaptureError('connection-closed', `The request to ${ctx.url} failed (${code}). Check that the service is running and reachable.`, details);
}
