// The server's side of the custom LSP messages, and the one error wrapper every handler runs behind.
// Custom requests are handled and notifications sent only through `onRequest` and `notify`, with the
// method and types of their descriptor in common/ (common/protocol.ts). `guard` wraps a handler (custom
// or standard: CodeLens, hover, code actions) so that a failure is logged once and answered properly:
// with the handler's declared fallback (an expected failure the client shows, such as a file that is not
// a profile), or else with a ResponseError — never an unlogged error or a try/catch in each handler.

import {
  ErrorCodes, ResponseError, type CancellationToken, type Connection, type Disposable, type RemoteConsole,
} from 'vscode-languageserver';
import type { NotificationDescriptor, ParamsArgs, RequestDescriptor } from '../../../common/protocol';

export type ServerLog = Pick<RemoteConsole, 'log' | 'warn' | 'error'>;

/** How a handler answers when it fails in a way the client should see as a result, not an error. */
export interface Fallback<P, R> {
  /** What failed, for the log ("CodeLens for file:///…"). */
  readonly what: (params: P) => string;
  /** The answer instead of an error response. */
  readonly answer: (error: unknown, params: P) => R;
}

export type Handler<P, R> = (params: P, token: CancellationToken) => R | Promise<R>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The handler, failing safely: a throw is logged once — as a warning when a fallback answers it, with
 * its stack otherwise — and the client gets the fallback's answer or a ResponseError.
 */
export function guard<P, R>(log: ServerLog, name: string, handler: Handler<P, R>, fallback?: Fallback<P, R>): (params: P, token: CancellationToken) => Promise<R | ResponseError> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (error) {
      if (error instanceof ResponseError) return error;
      if (fallback) {
        log.warn(`${fallback.what(params)} failed: ${messageOf(error)}`);
        return fallback.answer(error, params);
      }
      log.error(`${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${messageOf(error)}`);
    }
  };
}

/** Handles a custom request, behind `guard`. */
export function onRequest<P, R>(connection: Connection, type: RequestDescriptor<P, R>, handler: Handler<NoInfer<P>, NoInfer<R>>, fallback?: Fallback<NoInfer<P>, NoInfer<R>>): Disposable {
  const guarded = guard(connection.console, type.method, handler, fallback);
  return connection.onRequest(type.method, (...args: unknown[]) => {
    // vscode-jsonrpc calls a handler with (token) for a request without params, (params, token) otherwise.
    const token = args[args.length - 1] as CancellationToken;
    return guarded((args.length > 1 ? args[0] : undefined) as P, token);
  });
}

/** Sends a custom notification to the client. */
export function notify<P>(connection: Connection, type: NotificationDescriptor<P>, ...params: ParamsArgs<P>): Promise<void> {
  return connection.sendNotification(type.method, ...params);
}
