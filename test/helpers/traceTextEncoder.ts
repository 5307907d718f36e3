// Encodes Go's text form of an execution trace (internal/trace/raw: a `Trace Go1.NN` line, then one
// event per line as `Name arg=value ...`, stack frames and string data on the lines after their event)
// into the wire form our decoder reads: the header, then each event's type byte and its arguments as
// LEB128 varints. Go's own test cases are written in this form.

import { appendUvarint } from '../../core/timeline/execution/byteCursor';
import { EvStack, EvString, anyEventSpec, eventTypesByName } from '../../core/timeline/execution/wireFormat';
import { goUnquote } from './traceGoText';

const FRAME_FIELDS = ['pc', 'func', 'file', 'line'];

function tokens(line: string): string[] {
  const hash = line.indexOf('#');
  return (hash >= 0 ? line.slice(0, hash) : line).trim().split(/\s+/).filter(Boolean);
}

function readArgs(fields: string[], names: readonly string[], where: string): number[] {
  if (fields.length !== names.length) throw new Error(`${where}: expected ${names.length} arguments (${names.join(' ')}), got ${fields.length}`);
  return fields.map((field, i) => {
    const eq = field.indexOf('=');
    const name = field.slice(0, eq);
    if (eq < 0 || name !== names[i]) throw new Error(`${where}: expected argument "${names[i]}", got "${field}"`);
    const value = field.slice(eq + 1);
    if (!/^\d+$/.test(value)) throw new Error(`${where}: argument ${name} is not an unsigned integer`);
    return Number(value);
  });
}

/** The wire bytes of a trace in Go's text form. Throws with the line number on malformed text. */
export function encodeTraceText(text: string): Uint8Array {
  const lines = text.split('\n').map((line, i) => ({ line, number: i + 1 })).filter(({ line }) => tokens(line).length > 0 || /^\s*data=/.test(line));
  let index = 0;
  const next = () => lines[index++];
  const header = next();
  const headerTokens = header ? tokens(header.line) : [];
  const version = /^Go1\.(\d+)$/.exec(headerTokens[1] ?? '');
  if (headerTokens[0] !== 'Trace' || !version || headerTokens.length !== 2) throw new Error('the first line must be "Trace Go1.NN"');
  const minor = Number(version[1]);
  const out: number[] = [...new TextEncoder().encode(`go 1.${minor} trace\0\0\0`)];
  const byName = eventTypesByName(minor);
  for (let entry = next(); entry; entry = next()) {
    const where = `line ${entry.number}`;
    const [name, ...fields] = tokens(entry.line);
    const type = byName.get(name!);
    if (type === undefined) throw new Error(`${where}: unknown event ${name} for Go 1.${minor}`);
    const spec = anyEventSpec(type)!;
    const args = readArgs(fields, spec.args, where);
    out.push(type);
    for (const arg of args) appendUvarint(out, arg);
    if (type === EvStack) {
      for (let f = 0; f < args[1]!; f++) {
        const frame = next();
        if (!frame) throw new Error(`${where}: the stack ends before its ${args[1]} frames`);
        for (const value of readArgs(tokens(frame.line), FRAME_FIELDS, `line ${frame.number}`)) appendUvarint(out, value);
      }
    }
    if (type === EvString || spec.name === 'ExperimentalBatch') {
      const data = next();
      const match = data ? /^\s*data=(".*")\s*$/.exec(data.line) : null;
      if (!data || !match) throw new Error(`${where}: ${name} needs a data="..." line after it`);
      const bytes = goUnquote(match[1]!);
      appendUvarint(out, bytes.length);
      out.push(...bytes);
    }
  }
  return Uint8Array.from(out);
}

/** Text form lines with each `size=SIZE` of an EventBatch filled in with the encoded size of its events. */
export function withBatchSizes(lines: readonly string[]): string {
  const out = [...lines];
  const version = out[0] ?? 'Trace Go1.23';
  for (let i = 0; i < out.length; i++) {
    if (!out[i]!.endsWith('size=SIZE')) continue;
    let end = i + 1;
    while (end < out.length && !out[end]!.startsWith('EventBatch')) end++;
    const body = encodeTraceText([version, ...out.slice(i + 1, end)].join('\n'));
    out[i] = out[i]!.replace('SIZE', String(body.length - 16));
  }
  return out.join('\n');
}
