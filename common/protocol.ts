// Custom messages between the extension host and the language server. Every custom request and
// notification is declared once, as a descriptor that carries its method and the types of its params and
// result (`request<P, R>(method)`, `notification<P>(method)`), next to those types in its feature's
// protocol file: analysisProtocol.ts, backendProtocol.ts, profileProtocol.ts, timelineProtocol.ts, and this file. Each side
// sends and handles them only through its typed helpers (client/src/lspMessages.ts,
// server/src/lsp/handlers.ts), so a method's name and types are written nowhere else.
// Imports nothing from vscode, Node or the DOM, so both sides (and the tests) share it.

/** The namespace of the extension's own LSP methods. */
export type CustomMethod = `goTraceLens/${string}`;

/** A client → server request: `P` is sent (void: no params), `R` comes back. */
export interface RequestDescriptor<P, R> {
  readonly kind: 'request';
  readonly method: CustomMethod;
  /** Never set at run time: carries the params and result types to the typed helpers. */
  readonly types?: { readonly params: P; readonly result: R };
}

/** A server → client (or client → server) notification carrying `P`. */
export interface NotificationDescriptor<P> {
  readonly kind: 'notification';
  readonly method: CustomMethod;
  /** Never set at run time: carries the params type to the typed helpers. */
  readonly types?: { readonly params: P };
}

export function request<P, R>(method: CustomMethod): RequestDescriptor<P, R> {
  return { kind: 'request', method };
}

export function notification<P>(method: CustomMethod): NotificationDescriptor<P> {
  return { kind: 'notification', method };
}

/** The params of a request or notification as a helper's rest arguments: none for `void`. */
export type ParamsArgs<P> = [P] extends [void] ? [] : [params: P];

/** Sent by the client at start-up in `initializationOptions`. */
export interface InitializationOptions {
  /** Absolute path of the folder that holds `docs/rules/*.md` (the extension's install folder). */
  readonly docsRoot?: string;
}

export interface SkippedFileParams {
  readonly uri: string;
  readonly reason: string;
}

/** Server → client: the analyzer could not handle a file; the reason is logged, not shown as a popup. */
export const SkippedFileNotification = notification<SkippedFileParams>('goTraceLens/skippedFile');
