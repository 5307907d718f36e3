// What every client feature gets at activation: the extension context, the one output channel, the
// settings and the language client. Features register their commands, views and providers through it
// (no globals).

import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Config } from './config';

export interface GoTraceLensContext {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  /** Every setting is read through it (and the schema in common/settings.ts). */
  readonly config: Config;
  readonly client: LanguageClient;
}
