// Custom messages between the extension host and the language server, one typed constant per method.
// Imports nothing from vscode, Node or the DOM, so both sides (and the tests) share it.

/** Sent by the client at start-up in `initializationOptions`. */
export interface InitializationOptions {
  /** Absolute path of the folder that holds `docs/rules/*.md` (the extension's install folder). */
  readonly docsRoot?: string;
}

/** Server → client: the analyzer could not handle a file; the reason is logged, not shown as a popup. */
export const SkippedFileNotification = 'goTraceLens/skippedFile';
export interface SkippedFileParams {
  readonly uri: string;
  readonly reason: string;
}
