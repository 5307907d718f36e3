// The client's side of the custom LSP messages: requests are sent and notifications handled only through
// these helpers, with the method and types of their descriptor in common/ (common/protocol.ts), so no call
// site names a method or picks its own result type.

import type { Disposable } from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { NotificationDescriptor, ParamsArgs, RequestDescriptor } from '../../common/protocol';

/** What the helpers need of a language client. */
export type MessageClient = Pick<BaseLanguageClient, 'sendRequest' | 'onNotification'>;

/** Sends a custom request and resolves with its typed result. */
export function send<P, R>(client: MessageClient, type: RequestDescriptor<P, R>, ...params: ParamsArgs<P>): Promise<R> {
  return params.length === 0 ? client.sendRequest<R>(type.method) : client.sendRequest<R>(type.method, params[0]);
}

/** Handles a custom notification from the server. */
export function onNotification<P>(client: MessageClient, type: NotificationDescriptor<P>, handler: (params: P) => void): Disposable {
  return client.onNotification(type.method, handler);
}
