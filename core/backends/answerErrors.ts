// Turns an unwanted answer into a BackendError that says what to do: statuses (401/403 → `unauthorized`
// so the extension can offer "Set Credentials…", a multi-tenant backend missing its tenant, 404 on a URL
// that is not the backend's API, 400 with the backend's own reason, a proxy's 502), and bodies that are
// not what the API sends (invalid JSON, an unexpected shape). The backend's own error text is quoted from
// the shapes each uses: Jaeger's `errors[].msg`, its v3 `error.message`, Connect's `message`, plain text.
// `requestJson` is the common case of a request whose only good answer is JSON.

import { htmlTitle, quoteBody } from '../capture';
import { BackendError } from './backendError';
import { sendsCredentials, TENANT_HEADER, type ResolvedBackend } from './backendSource';
import { answerText, isSuccess, type BackendAnswer, type BackendContext, type BackendRequest } from './exchange';
import { isObject, type Json } from './jsonValues';

/** The backend's own explanation in an error body, cleaned for a message; '' when there is none. */
export function explainBody(answer: BackendAnswer): string {
  const text = answerText(answer);
  if (/html/.test(answer.contentType) || /^\s*<(!doctype|html)/i.test(text)) {
    const title = htmlTitle(text);
    return title ? `an HTML page, "${title}"` : 'an HTML page';
  }
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const jaeger = Array.isArray(json.errors) ? (json.errors as { msg?: unknown }[]).map((e) => e?.msg).filter((m) => typeof m === 'string') : [];
    const nested = typeof json.error === 'object' && json.error !== null ? (json.error as { message?: unknown }).message : json.error;
    const said = jaeger[0] ?? (typeof json.message === 'string' ? json.message : undefined) ?? (typeof nested === 'string' ? nested : undefined);
    if (typeof said === 'string') return quoteBody(said);
  } catch {
    // Not JSON: quote the text.
  }
  return quoteBody(text);
}

function statusLine(answer: BackendAnswer): string {
  return answer.statusText ? `${answer.status} ${answer.statusText}` : String(answer.status);
}

/** The error for a status the backend module did not expect (anything but 2xx). */
export function statusError(backend: ResolvedBackend, request: BackendRequest, answer: BackendAnswer): BackendError {
  const details = { url: answer.url, status: answer.status };
  const said = backend.redactor.text(explainBody(answer));
  const quoted = said ? ` ("${said}")` : '';
  const answered = `${backend.title} answered ${statusLine(answer)}${quoted} for ${request.what}`;
  const credentials = sendsCredentials(backend);
  const tenantSent = Object.keys(backend.headers).some((name) => name.toLowerCase() === TENANT_HEADER.toLowerCase());

  if (answer.status === 401 || answer.status === 403 || answer.status === 407) {
    if (!tenantSent && /org.?id|tenant/i.test(said)) {
      return new BackendError('unauthorized', `${answered}: it is multi-tenant and needs to know the tenant. Set the tenant for this backend (sent as ${TENANT_HEADER}).`, details);
    }
    const what =
      answer.status === 403
        ? credentials
          ? 'the credentials sent are not allowed to read it. Use credentials with read access, or ask the backend\'s operators.'
          : 'access is denied without credentials. Set credentials for this backend (a bearer token or basic auth).'
        : credentials
          ? 'the credentials sent were rejected. Check or renew the token or password set for this backend.'
          : 'it needs credentials. Set credentials for this backend (a bearer token or basic auth).';
    return new BackendError('unauthorized', `${answered}: ${what}`, details);
  }
  if (answer.status === 404) {
    return new BackendError(
      'not-found',
      `${answered}: the URL does not lead to ${backend.info.label}'s query API. Check the backend's URL (e.g. ${backend.info.exampleUrl}), with the base path it is served under if it has one.`,
      details,
    );
  }
  if (answer.status === 400 || answer.status === 422) {
    return new BackendError('rejected', `${answered}: the backend refused the query. Change what the message points at and retry.`, details);
  }
  if (answer.status === 429) {
    return new BackendError('http-error', `${answered}: it is limiting the rate of queries. Wait a little, then retry.`, details);
  }
  if (answer.status === 502 || answer.status === 503 || answer.status === 504) {
    return new BackendError('http-error', `${answered}: a proxy in front of it could not get an answer, or it is starting or overloaded. Retry later, and check that the backend is up.`, details);
  }
  const advice = answer.status >= 500 ? 'The backend failed: check its logs, then retry.' : 'Check the backend\'s URL and configuration.';
  return new BackendError('http-error', `${answered}. ${advice}`, details);
}

/** The error for a 2xx body that is not what the API sends. */
export function invalidAnswer(backend: ResolvedBackend, request: Pick<BackendRequest, 'what'>, answer: Pick<BackendAnswer, 'url'>, why: string): BackendError {
  return new BackendError(
    'invalid-answer',
    `${backend.title} sent ${request.what} in a form Go Trace Lens does not read (${why}). Check that the URL is the ${backend.info.label} query API and that no proxy rewrites its answers; the backend's version may also be newer than the formats this release follows.`,
    { url: answer.url },
  );
}

/** The body parsed as JSON; a body that is not JSON is an `invalid-answer` error saying where it breaks. */
export function parseJsonAnswer(backend: ResolvedBackend, request: BackendRequest, answer: BackendAnswer): unknown {
  const text = answerText(answer);
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const empty = text.trim() === '' ? 'an empty body where JSON belongs' : `invalid JSON: ${detail}`;
    throw invalidAnswer(backend, request, answer, empty);
  }
}

/** Sends a request whose one good answer is a 2xx JSON object (or list); anything else is its BackendError. */
export async function requestJson(ctx: BackendContext, request: BackendRequest, expect: 'object'): Promise<Json>;
export async function requestJson(ctx: BackendContext, request: BackendRequest, expect: 'list'): Promise<unknown[]>;
export async function requestJson(ctx: BackendContext, request: BackendRequest, expect: 'object' | 'list'): Promise<Json | unknown[]> {
  const answer = await ctx.send(request);
  if (!isSuccess(answer)) throw statusError(ctx.backend, request, answer);
  const document = parseJsonAnswer(ctx.backend, request, answer);
  if (expect === 'list' ? !Array.isArray(document) : !isObject(document)) throw invalidAnswer(ctx.backend, request, answer, `not a JSON ${expect}`);
  return document as Json | unknown[];
}
