// gRPC-web over HTTP/1.1, as Parca's server (improbable-eng's grpcweb wrapper) and its web UI speak it: a
// request body is one frame (flag byte 0, 4-byte big-endian length, protobuf message); an answer is a 200
// with data frames and a trailer frame (flag 0x80) of `grpc-status`/`grpc-message` lines, or a
// "trailers-only" answer with the status in its HTTP headers. A status other than OK becomes a
// BackendError here, except NOT_FOUND, which the caller reads as "nothing matched".

import { quoteBody } from '../capture';
import { invalidAnswer, statusError } from './answerErrors';
import { BackendError, type BackendErrorCode } from './backendError';
import { sendsCredentials } from './backendSource';
import { isSuccess, type BackendAnswer, type BackendContext, type BackendRequest } from './exchange';

export const GRPC_WEB_CONTENT_TYPE = 'application/grpc-web+proto';
export const GRPC_NOT_FOUND = 5;

const STATUS_NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

/** One message as a gRPC-web request body. */
export function grpcWebFrame(message: Uint8Array): Uint8Array {
  const frame = new Uint8Array(5 + message.length);
  new DataView(frame.buffer).setUint32(1, message.length);
  frame.set(message, 5);
  return frame;
}

export interface GrpcWebAnswer {
  /** The message of the (first) data frame; empty when the answer carried none. */
  readonly message: Uint8Array;
  readonly status: number;
  readonly statusMessage: string;
}

function trailerValues(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) values[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return values;
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Frames and status of an answer; throws `invalid-answer` for a body that is not gRPC-web frames. */
export function readGrpcWebAnswer(ctx: BackendContext, request: BackendRequest, answer: BackendAnswer): GrpcWebAnswer {
  const body = answer.body;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let message: Uint8Array | undefined;
  let trailers: Record<string, string> = {};
  for (let at = 0; at < body.length; ) {
    if (at + 5 > body.length) throw invalidAnswer(ctx.backend, request, answer, 'a gRPC-web frame header cut short');
    const flag = body[at]!;
    const length = view.getUint32(at + 1);
    if (at + 5 + length > body.length) throw invalidAnswer(ctx.backend, request, answer, `a gRPC-web frame of ${length} bytes with only ${body.length - at - 5} left`);
    const payload = body.subarray(at + 5, at + 5 + length);
    if (flag & 0x80) trailers = { ...trailers, ...trailerValues(new TextDecoder().decode(payload)) };
    else if (flag & 0x01) throw invalidAnswer(ctx.backend, request, answer, 'a compressed gRPC-web frame, which was not asked for');
    else message ??= payload;
    at += 5 + length;
  }
  const status = trailers['grpc-status'] ?? answer.headers['grpc-status'];
  if (status === undefined || !/^\d+$/.test(status)) throw invalidAnswer(ctx.backend, request, answer, 'no gRPC status in the answer');
  return { message: message ?? new Uint8Array(), status: Number(status), statusMessage: percentDecoded(trailers['grpc-message'] ?? answer.headers['grpc-message'] ?? '') };
}

/** The BackendError of a gRPC status other than OK and NOT_FOUND. */
function grpcStatusError(ctx: BackendContext, request: BackendRequest, answer: BackendAnswer, grpc: GrpcWebAnswer): BackendError {
  const name = STATUS_NAMES[grpc.status] ?? `status ${grpc.status}`;
  const said = grpc.statusMessage ? ` ("${ctx.backend.redactor.text(quoteBody(grpc.statusMessage))}")` : '';
  const answered = `${ctx.backend.title} answered ${name}${said} for ${request.what}`;
  const credentials = sendsCredentials(ctx.backend);
  const outcome: [BackendErrorCode, string] =
    grpc.status === 16 ? ['unauthorized', credentials ? 'the credentials sent were rejected. Check or renew the token or password set for this backend.' : 'it needs credentials. Set credentials for this backend (a bearer token or basic auth).']
    : grpc.status === 7 ? ['unauthorized', credentials ? 'the credentials sent are not allowed to read it. Use credentials with read access.' : 'access is denied without credentials. Set credentials for this backend.']
    : grpc.status === 3 || grpc.status === 9 || grpc.status === 11 ? ['rejected', 'the backend refused the query. Change what the message points at and retry.']
    : grpc.status === 4 ? ['timeout', 'the query took longer than the backend allows. Narrow it (a shorter time range, a more specific selector) and retry.']
    : grpc.status === 12 ? ['not-found', `this server does not implement ${request.path}: check that the URL is ${ctx.backend.info.label}'s (e.g. ${ctx.backend.info.exampleUrl}).`]
    : ['http-error', grpc.status === 14 ? 'the backend is unavailable. Retry later, and check that it is up.' : 'the backend failed: check its logs, then retry.'];
  return new BackendError(outcome[0], `${answered}: ${outcome[1]}`, { url: answer.url, systemCode: name });
}

/** Calls one unary method; returns its answer message, or `GRPC_NOT_FOUND`. */
export async function callGrpcWeb(ctx: BackendContext, path: string, message: Uint8Array, what: string): Promise<{ message: Uint8Array; url: string } | typeof GRPC_NOT_FOUND> {
  const request: BackendRequest = { method: 'POST', path, body: grpcWebFrame(message), contentType: GRPC_WEB_CONTENT_TYPE, accept: GRPC_WEB_CONTENT_TYPE, headers: { 'X-Grpc-Web': '1' }, what };
  const answer = await ctx.send(request);
  if (!isSuccess(answer)) throw statusError(ctx.backend, request, answer);
  if (!answer.contentType.startsWith('application/grpc')) throw invalidAnswer(ctx.backend, request, answer, `${answer.contentType || 'no content type'} where gRPC-web was asked for`);
  const grpc = readGrpcWebAnswer(ctx, request, answer);
  if (grpc.status === GRPC_NOT_FOUND) return GRPC_NOT_FOUND;
  if (grpc.status !== 0) throw grpcStatusError(ctx, request, answer, grpc);
  return { message: grpc.message, url: answer.url };
}
