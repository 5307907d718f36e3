// Go's text forms, for the trace tests: string literals as `strconv.Unquote` reads them (to bytes, since
// Go strings are bytes), the txtar archives of Go's execution-trace test cases, and the `go test fuzz v1`
// corpus files.

import { readFileSync } from 'node:fs';

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };
const encoder = new TextEncoder();

/** The bytes of a Go double-quoted string literal (with its quotes). Throws on a malformed literal. */
export function goUnquote(literal: string): Uint8Array {
  if (literal.length < 2 || literal[0] !== '"' || literal[literal.length - 1] !== '"') throw new Error(`not a Go string literal: ${literal.slice(0, 40)}`);
  const body = literal.slice(1, -1);
  const out: number[] = [];
  for (let i = 0; i < body.length; ) {
    const ch = body[i]!;
    if (ch !== '\\') {
      const code = body.codePointAt(i)!;
      const text = String.fromCodePoint(code);
      out.push(...encoder.encode(text));
      i += text.length;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) throw new Error('string literal ends with a backslash');
    if (next in SIMPLE_ESCAPES) {
      out.push(SIMPLE_ESCAPES[next]!);
      i += 2;
    } else if (next === 'x') {
      out.push(parseInt(body.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (next === 'u' || next === 'U') {
      const width = next === 'u' ? 4 : 8;
      out.push(...encoder.encode(String.fromCodePoint(parseInt(body.slice(i + 2, i + 2 + width), 16))));
      i += 2 + width;
    } else if (next >= '0' && next <= '7') {
      out.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 4;
    } else {
      throw new Error(`unknown escape \\${next}`);
    }
  }
  return Uint8Array.from(out);
}

export interface TxtarArchive {
  readonly comment: string;
  readonly files: ReadonlyMap<string, string>;
}

/** Splits a txtar archive into its named files. */
export function parseTxtar(text: string): TxtarArchive {
  const files = new Map<string, string>();
  const marker = /^-- (.+?) --$/;
  let current: string | undefined;
  let comment = '';
  let lines: string[] = [];
  const flush = () => {
    if (current === undefined) comment = lines.join('\n');
    else files.set(current, lines.join('\n') + (lines.length ? '\n' : ''));
  };
  for (const line of text.split('\n')) {
    const match = marker.exec(line);
    if (match) {
      flush();
      current = match[1]!;
      lines = [];
    } else {
      lines.push(line);
    }
  }
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  flush();
  return { comment, files };
}

export type TraceExpectation = { readonly success: true } | { readonly success: false; readonly error: RegExp };

/** A test case of Go's trace parser: what it must do with the trace in its text form. */
export interface GoTraceTestCase {
  readonly name: string;
  readonly expect: TraceExpectation;
  readonly traceText: string;
}

export function readGoTraceTestCase(path: string): GoTraceTestCase {
  const archive = parseTxtar(readFileSync(path, 'utf8'));
  const expectText = archive.files.get('expect')?.trim();
  const traceText = archive.files.get('trace');
  if (!expectText || traceText === undefined) throw new Error(`${path}: needs "expect" and "trace" sections`);
  let expect: TraceExpectation;
  if (expectText === 'SUCCESS') {
    expect = { success: true };
  } else {
    const match = /^FAILURE (".*")$/.exec(expectText);
    if (!match) throw new Error(`${path}: unknown expectation ${expectText}`);
    expect = { success: false, error: new RegExp(new TextDecoder().decode(goUnquote(match[1]!))) };
  }
  return { name: path.split('/').pop()!, expect, traceText };
}

/** The input bytes of a `go test fuzz v1` corpus file holding one []byte value. */
export function readGoFuzzCorpusBytes(path: string): Uint8Array {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[0] !== 'go test fuzz v1') throw new Error(`${path}: not a Go fuzz corpus file`);
  const value = lines[1]?.trim() ?? '';
  const match = /^\[\]byte\((".*")\)$/.exec(value);
  if (!match) throw new Error(`${path}: expected one []byte("...") value`);
  return goUnquote(match[1]!);
}
