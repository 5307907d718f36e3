// What every client feature gets at activation: the extension context, the one output channel and the
// language client. Features register their commands, views and providers through it (no globals).

import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export interface GoTraceLensContext {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly client: LanguageClient;
}

/** A feature area (profiles, capture, timeline): registers itself and returns nothing to manage. */
export type FeatureRegistrar = (context: GoTraceLensContext) => void;
