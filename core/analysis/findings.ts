// What the analyzer reports: findings with ranges, fixes and related locations. Positions are 0-based
// lines and UTF-16 columns (LSP's convention, and what web-tree-sitter reports for JavaScript strings).

import type { RuleId, Severity } from '../../common/rules';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  /** Edits within the analysed file. */
  readonly edits: readonly TextEdit[];
}

export interface RelatedLocation {
  /** Absolute path of the file, or undefined for the analysed file itself. */
  readonly file?: string;
  readonly range: Range;
  readonly message: string;
}

export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly range: Range;
  readonly message: string;
  readonly fixes: readonly Fix[];
  readonly related: readonly RelatedLocation[];
  /**
   * The functions the finding's claim rests on handing a context to (span-context-discarded's uses), when
   * every one resolves: the workspace index drops the finding if each of them ignores its context.
   */
  readonly contextUses?: readonly CalleeRef[];
  /**
   * What must hold of the programs (main packages) the file belongs to for the finding to stand: the
   * propagation rules' candidates, confirmed (and given their messages) against the workspace index.
   */
  readonly program?: ProgramCondition;
}

/** See Finding.program and rules/propagation.ts. */
export type ProgramCondition =
  /** A program reaching the file uses the global propagator and never sets one. */
  | { readonly kind: 'no-propagator' }
  /**
   * Another program sends only formats this SetTextMapPropagator does not read; `fixes` adds each format
   * (by PropagationFormat) to it.
   */
  | { readonly kind: 'formats'; readonly fixes: Readonly<Partial<Record<string, Fix>>> }
  /** A program reaching the file instruments gRPC with otelgrpc. */
  | { readonly kind: 'grpc-instrumented' }
  /** A program reaching the file traces and instruments HTTP with OpenTelemetry, and keeps the default transport. */
  | { readonly kind: 'http-instrumented' };

/** The function a call names, in terms the workspace index resolves. */
export type CalleeRef =
  /** `load(…)`: a function of the caller's own package. */
  | { readonly kind: 'local'; readonly name: string }
  /**
   * `s.load(…)` on a value whose type is known (the method's receiver, a parameter `r *store.Redis`, a field,
   * a value built as `&Cache{}`): a method of that type, in the caller's package or in `importPath`'s.
   */
  | { readonly kind: 'method'; readonly receiverType: string; readonly name: string; readonly importPath?: string }
  /** `config.Load(…)`: a function of an imported package. */
  | { readonly kind: 'package'; readonly importPath: string; readonly name: string };

/** A call made with a context in scope, to be checked against the workspace index (call-chain-break). */
export interface CallSite {
  readonly callee: CalleeRef;
  /** The callee expression (`loadConfig`, `config.Load`) and its text. */
  readonly range: Range;
  readonly calleeText: string;
  /** The context the caller could pass. */
  readonly contextExpression: string;
  /** May hold line references (see lineRef); rendered when the finding is made. */
  readonly contextOrigin: string;
  /**
   * The call is made in a component's lifetime code (a constructor, Init, Start…): only a root the callee
   * admits is a placeholder (`context.TODO()`) is a break there; a Background() is the component's own.
   */
  readonly lifetimeCaller?: boolean;
}

const MARK = '\u0001';
const LINE_REF = new RegExp(`${MARK}(\\d+)${MARK}`, 'g');

/**
 * A reference to a 0-based line inside a message ("derived on line 12"). Findings keep it symbolic until they
 * are handed out, so a cached finding whose declaration moved still names the right line.
 */
export function lineRef(row: number): string {
  return `\u0001${row}\u0001`;
}

/** Moves the line references at or after `fromLine` by `delta` lines. */
export function shiftLineRefs(text: string, fromLine: number, delta: number): string {
  if (delta === 0 || !text.includes('\u0001')) return text;
  return text.replace(LINE_REF, (_, row: string) => lineRef(Number(row) >= fromLine ? Number(row) + delta : Number(row)));
}

/** The text with its line references written out as 1-based line numbers. */
export function renderLineRefs(text: string): string {
  return text.includes('\u0001') ? text.replace(LINE_REF, (_, row: string) => String(Number(row) + 1)) : text;
}
