// The lint config keeps the architecture (docs/architecture.md): each boundary rule fails on a deliberate
// violation and passes on its legal variant. Files are linted as text at real paths of the repository, so
// the rules place and resolve them as they do the real files; the cycle's two files are fed to the import
// graph through settings.boundaries.sources.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
}
interface LintResult {
  messages: LintMessage[];
}
interface ESLintApi {
  lintText(code: string, options: { filePath: string }): Promise<LintResult[]>;
}
// eslint 9.9 ships no type declarations; this is the part of its Node API the test uses.
const { ESLint } = require('eslint') as { ESLint: new (options: Record<string, unknown>) => ESLintApi };

const root = join(__dirname, '..', '..');

const CYCLE_A = 'core/timeline/lintProbeCycleA.ts';
const CYCLE_B = 'core/timeline/lintProbeCycleB.ts';
const CYCLE_A_TEXT = "export type { B } from './lintProbeCycleB';\nexport type A = { name: string };\n";
const CYCLE_B_TEXT = "import type { A } from './lintProbeCycleA';\nexport type B = { a: A };\n";

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: join(root, 'eslint.config.mjs'),
  overrideConfig: { settings: { boundaries: { sources: { [CYCLE_A]: CYCLE_A_TEXT, [CYCLE_B]: CYCLE_B_TEXT } } } },
});

/** The boundary problems (and DOM-global uses) lint reports for `code` placed at `path`, as "rule: message". */
async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  // A message without a rule is a parse error or "file ignored": the file was not linted at all.
  const unlinted = result.messages.find((message) => message.ruleId === null);
  assert.equal(unlinted, undefined, `${path} was not linted: ${unlinted?.message}`);
  return result.messages
    .filter((message) => message.ruleId?.startsWith('boundaries/') || message.ruleId === 'no-restricted-globals')
    .map((message) => `${message.ruleId}: ${message.message}`);
}

async function assertRule(path: string, code: string, rule: string, messagePart?: string): Promise<void> {
  const found = await problems(path, code);
  assert.equal(found.length, 1, `${path}: expected one ${rule} problem, got ${JSON.stringify(found, null, 2)}`);
  assert.ok(found[0].startsWith(`${rule}: `), `${path}: expected ${rule}, got ${found[0]}`);
  if (messagePart) assert.ok(found[0].includes(messagePart), `${path}: "${found[0]}" lacks "${messagePart}"`);
}

async function assertClean(path: string, code: string): Promise<void> {
  assert.deepEqual(await problems(path, code), [], `${path} should pass`);
}

test('hosts reach a core only through its faces; tests may reach its internals', async () => {
  const client = 'client/src/lintProbe.ts';
  await assertRule(
    client,
    "export { redactUrl } from '../../core/capture/redact';\n",
    'boundaries/core-faces',
    'client/src/lintProbe.ts imports core/capture/redact.ts: import core/capture (its index) instead',
  );
  await assertRule(
    client,
    "export { captureToFile } from '../../core/capture/captureToFile.node';\n",
    'boundaries/core-faces',
    'import core/capture/index.node (its Node-only face) instead',
  );
  // Every way of naming a module is an import: type references, require() and import().
  await assertRule(client, "export type R = import('../../core/capture/redact').Redactor;\n", 'boundaries/core-faces');
  await assertRule(client, "export const redact = require('../../core/capture/redact');\n", 'boundaries/core-faces');
  await assertRule(client, "export const redact = () => import('../../core/capture/redact');\n", 'boundaries/core-faces');
  await assertClean(client, "export { redactUrl } from '../../core/capture';\nexport { captureToFile } from '../../core/capture/index.node';\n");

  // Another core is a host too.
  await assertRule('core/analysis/lintProbe.ts', "export { formatValue } from '../profiles/units';\n", 'boundaries/core-faces');
  await assertClean('core/analysis/lintProbe.ts', "export { formatValue } from '../profiles';\n");

  await assertClean('test/unit/lintProbe.ts', "export { redactUrl } from '../../core/capture/redact';\n");
});

test('the cores import no vscode, no LSP library and no DOM global', async () => {
  const core = 'core/analysis/lintProbe.ts';
  await assertRule(core, "import type * as vscode from 'vscode';\nexport type Uri = vscode.Uri;\n", 'boundaries/core-platform', 'core/analysis/lintProbe.ts imports vscode');
  await assertRule(core, "export type { Diagnostic } from 'vscode-languageserver';\n", 'boundaries/core-platform');
  await assertRule(core, 'export const title = (): string => document.title;\n', 'no-restricted-globals', 'document is a DOM global');
  await assertClean(core, "export type { Finding } from './findings';\nexport const title = (document: { title: string }): string => document.title;\n");
});

test('in a core, only *.node.ts files use Node, and the portable face exposes none of them', async () => {
  await assertRule(
    'core/profiles/lintProbe.ts',
    "export { readFileSync } from 'node:fs';\n",
    'boundaries/core-platform',
    'core/profiles/lintProbe.ts imports node:fs but is not a *.node.ts file',
  );
  await assertRule('core/profiles/lintProbe.ts', "import { gunzipSync } from 'zlib';\nexport const gunzip = gunzipSync;\n", 'boundaries/core-platform');
  await assertRule(
    'core/profiles/lintProbe.ts',
    "export { decodeProfileFile } from './profileFile.node';\n",
    'boundaries/core-platform',
    'rename this file lintProbe.node.ts',
  );
  await assertClean('core/profiles/lintProbe.node.ts', "export { readFileSync } from 'node:fs';\nexport { decodeProfileFile } from './profileFile.node';\n");
  // Types vanish from bundles: a portable file may name a Node-only file's types.
  await assertClean('core/profiles/lintProbe.ts', "export type { SourceFileSystem } from './sourceFileSystem';\nimport type { decodeProfileFile } from './profileFile.node';\nexport type Decode = typeof decodeProfileFile;\n");

  await assertRule(
    'core/profiles/index.ts',
    "export type { Profile } from './profile';\nexport { decodeProfileFile } from './profileFile.node';\n",
    'boundaries/core-platform',
    'export it from core/profiles/index.node.ts instead',
  );
  await assertClean('core/profiles/index.node.ts', "export { decodeProfileFile } from './profileFile.node';\n");
});

test('core/timeline, bundled into the webview worker, imports no Node at all', async () => {
  const timeline = 'core/timeline/lintProbe.ts';
  await assertRule(timeline, "export type { SavedCapture } from '../capture/index.node';\n", 'boundaries/browser-no-node', "core/timeline is bundled into the timeline webview's worker");
  await assertRule(timeline, "export { inflateSync } from 'node:zlib';\n", 'boundaries/browser-no-node');
  await assertRule('core/timeline/lintProbe.node.ts', "export { readFileSync } from 'node:fs';\n", 'boundaries/browser-no-node');
  await assertClean(timeline, "export { TraceError } from './traceError';\nexport type { CaptureKind } from '../capture';\n");
});

test('media imports no Node, no vscode and no other host', async () => {
  const media = 'media/timeline/lintProbe.ts';
  await assertRule(media, "export { join } from 'node:path';\n", 'boundaries/browser-no-node', 'webviews run in the browser');
  await assertRule(media, "export { decodeProfileFile } from '../../core/profiles/index.node';\n", 'boundaries/browser-no-node', 'import core/profiles (its portable face) instead');
  await assertRule(media, "import type * as vscode from 'vscode';\nexport type Uri = vscode.Uri;\n", 'boundaries/host-separation');
  await assertRule(media, "export type { CrashWindow } from '../../client/src/crashWindow';\n", 'boundaries/host-separation', 'the webviews (media/) must not import the extension host (client/)');
  await assertClean(media, "export { formatValue } from '../../core/profiles';\nexport type { SpanDetails } from '../../core/timeline';\nexport * from '../shared/dom';\n");
});

test('the extension host, the language server and the CLI import none of each other', async () => {
  await assertRule('client/src/lintProbe.ts', "export type { Anything } from '../../server/src/server';\n", 'boundaries/host-separation');
  await assertRule('client/src/lintProbe.ts', "export type { Anything } from '../../cli/main';\n", 'boundaries/host-separation');
  await assertRule('server/src/lintProbe.ts', "export type { Anything } from '../../client/src/extension';\n", 'boundaries/host-separation');
  await assertRule('server/src/lintProbe.ts', "import * as vscode from 'vscode';\nexport const window = vscode.window;\n", 'boundaries/host-separation', 'runs outside VS Code');
  await assertRule('cli/lintProbe.ts', "export type { Anything } from '../server/src/server';\n", 'boundaries/host-separation');
  await assertClean('server/src/lintProbe.ts', "export type { Connection } from 'vscode-languageserver/node';\nexport type { RuleId } from '../../common/rules';\n");
  await assertClean('cli/lintProbe.ts', "export { captureToFile } from '../core/capture/index.node';\nexport type { RuleId } from '../common/rules';\n");
});

test('common/ imports nothing outside common/', async () => {
  const common = 'common/lintProbe.ts';
  await assertRule(common, "export type { Finding } from '../core/analysis';\n", 'boundaries/common-self-contained', 'common/lintProbe.ts imports core/analysis/index.ts');
  await assertRule(common, "export type { Diagnostic } from 'vscode-languageserver';\n", 'boundaries/common-self-contained');
  await assertRule(common, "export { join } from 'node:path';\n", 'boundaries/common-self-contained');
  await assertClean(common, "export type { RuleId } from './rules';\n");
});

test('an import cycle is reported once, at the import that closes it, naming its files', async () => {
  await assertRule(
    CYCLE_B,
    CYCLE_B_TEXT,
    'boundaries/no-cycles',
    `Import cycle ${CYCLE_A} → ${CYCLE_B} → ${CYCLE_A}; this import closes it`,
  );
  await assertClean(CYCLE_A, CYCLE_A_TEXT);
  await assertClean(CYCLE_B, 'export type B = { name: string };\n');
  // A file importing itself is the smallest cycle.
  await assertRule('core/timeline/lintProbe.ts', "export type { X } from './lintProbe';\n", 'boundaries/no-cycles', 'core/timeline/lintProbe.ts → core/timeline/lintProbe.ts');
});
