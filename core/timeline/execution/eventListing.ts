// One decoded event as text, in exactly the form `go tool trace -d=1` prints (Go's Event.String): the
// detail panel shows it, and the tests compare our listing of a trace with Go's line for line.

import { EVENT_KIND_NAMES, EventKind } from './eventTable';
import { NO_TASK_ID, isProcTransition, rangeScopeRow, transitionFrom, transitionStack, transitionTo } from './eventFields';
import type { ExecutionTraceModel } from './executionTraceModel';
import { GO_STATE_NAMES, PROC_STATE_NAMES } from './schedulerOrdering';
import * as ev from './wireFormat';
import { anyEventSpec } from './wireFormat';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's strconv.Quote for valid UTF-8 text. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (code === 0x20 || (code > 0x20 && code < 0x7f) || (code >= 0x80 && PRINTABLE.test(ch))) out += ch;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/** A uint64 task ID as Go prints it (NoTask is 2^64-1). */
function taskId(value: number): string {
  return value === NO_TASK_ID ? '18446744073709551615' : String(value);
}

function rowId(ids: Float64Array, row: number): number {
  return row < 0 ? -1 : ids[row]!;
}

/** Go's frame listing: "\tfunc @ 0xpc\n\t\tfile:line\n" per frame, innermost first. */
export function describeStack(model: ExecutionTraceModel, stack: number): string {
  const { offsets, frames } = model.stacks;
  let out = '';
  for (let f = offsets[stack]!; f < offsets[stack + 1]!; f++) {
    const frame = frames[f]!;
    const s = model.strings;
    out += `\t${s[model.frames.func[frame]!]} @ 0x${model.frames.pc[frame]!.toString(16)}\n`;
    out += `\t\t${s[model.frames.file[frame]!]}:${model.frames.line[frame]}\n`;
  }
  return out;
}

/** Event i as `go tool trace -d=1` prints it (without the final newline Println adds). */
export function describeEvent(model: ExecutionTraceModel, i: number): string {
  const e = model.events;
  const s = model.strings;
  const kind = e.kind[i]!;
  const type = e.type[i]!;
  const goroutineId = (row: number) => rowId(model.goroutines.id, row);
  const procId = (row: number) => rowId(model.procs.id, row);
  let out = `M=${rowId(model.threads.id, e.m[i]!)} P=${procId(e.p[i]!)} G=${goroutineId(e.g[i]!)} ${EVENT_KIND_NAMES[kind]} Time=${e.time[i]}`;
  switch (kind) {
    case EventKind.Metric:
      out += ` Name=${goQuote(s[e.str[i]!]!)} Value=Uint64(${e.a0[i]})`;
      break;
    case EventKind.Label:
      out += ` Label=${goQuote(s[e.str[i]!]!)} Resource=Goroutine(${goroutineId(e.g[i]!)})`;
      break;
    case EventKind.RangeBegin:
    case EventKind.RangeActive:
    case EventKind.RangeEnd: {
      const scopeKind = e.state[i]!;
      const scopeRow = rangeScopeRow(e, i);
      const scope = scopeKind === 0 ? 'None' : scopeKind === 1 ? `Goroutine(${goroutineId(scopeRow)})` : `Proc(${procId(scopeRow)})`;
      out += ` Name=${goQuote(s[e.str[i]!]!)} Scope=${scope}`;
      if (kind === EventKind.RangeEnd) {
        const attributes = type === ev.EvGCSweepEnd ? `"bytes swept"=Uint64(${e.a0[i]}) "bytes reclaimed"=Uint64(${e.a1[i]})` : '';
        out += ` Attributes=[${attributes}]`;
      }
      break;
    }
    case EventKind.TaskBegin:
    case EventKind.TaskEnd:
      out += ` ID=${taskId(e.a0[i]!)} Parent=${taskId(e.a1[i]!)} Type=${goQuote(s[e.str[i]!]!)}`;
      break;
    case EventKind.RegionBegin:
    case EventKind.RegionEnd:
      out += ` Task=${taskId(e.a0[i]!)} Type=${goQuote(s[e.str[i]!]!)}`;
      break;
    case EventKind.Log:
      out += ` Task=${taskId(e.a0[i]!)} Category=${goQuote(s[e.str[i]!]!)} Message=${goQuote(s[e.a1[i]!]!)}`;
      break;
    case EventKind.StateTransition: {
      const proc = isProcTransition(type);
      const id = proc ? procId(e.a0[i]!) : goroutineId(e.a0[i]!);
      const names = proc ? PROC_STATE_NAMES : GO_STATE_NAMES;
      const reason = type === ev.EvGoStop || type === ev.EvGoBlock ? s[e.str[i]!]! : '';
      out += ` Resource=${proc ? 'Proc' : 'Goroutine'}(${id}) Reason=${goQuote(reason)}`;
      out += ` ${proc ? 'ProcID' : 'GoID'}=${id} ${names[transitionFrom(e, i)] ?? 'Bad'}->${names[transitionTo(e, i)] ?? 'Bad'}`;
      const stack = transitionStack(e, i);
      // Go prints the header for a creation's stack even when it is empty.
      const creation = type === ev.EvGoCreate || type === ev.EvGoCreateBlocked;
      if (stack !== 0 || creation) out += `\nTransitionStack=\n${describeStack(model, stack)}`;
      break;
    }
    case EventKind.Experimental: {
      const spec = anyEventSpec(type)!;
      const names = spec.args.slice(1);
      const values = [e.a0[i], e.a1[i], e.str[i]].slice(0, names.length);
      out += ` Name=${spec.name} ArgNames=[${names.join(' ')}] Args=[${values.join(' ')}]`;
      break;
    }
  }
  if (e.stack[i]! !== 0) out += `\nStack=\n${describeStack(model, e.stack[i]!)}`;
  return out;
}

/** The whole trace as `go tool trace -d=1` prints it. */
export function listEvents(model: ExecutionTraceModel): string {
  let out = '';
  for (let i = 0; i < model.events.count; i++) out += describeEvent(model, i) + '\n';
  return out;
}
