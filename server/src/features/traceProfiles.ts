// Trace-derived profiles: the timeline (or the command palette) asks for one of the four profiles
// `go tool trace -pprof=net|sync|syscall|sched` makes of an execution trace, for the whole trace or a
// scope of it (a goroutine group, a region type, a task, a time range); the server decodes the trace
// (keeping the last one decoded, since one trace is usually asked for several kinds and scopes in a row),
// derives the profile with the timeline core and writes it as a .pb.gz file, whole or not at all. The
// client then opens that file as any profile (lenses, heat, flame graph, diff).

import * as fs from 'node:fs';
import type { Connection } from 'vscode-languageserver';
import { DeriveTraceProfileRequest, type DeriveTraceProfileParams, type DeriveTraceProfileResult, type TraceProfileScope } from '../../../common/timelineProtocol';
import { FileWriteError, writeProfileFile } from '../../../core/profiles/index.node';
import { TraceError, TraceProfileError, decodeExecutionTrace, explainEmptyTraceProfile, traceProfile, type ExecutionTraceModel, type TraceProfileOptions } from '../../../core/timeline';
import { onRequest } from '../lsp/handlers';

function optionsOf(scope: TraceProfileScope | undefined): TraceProfileOptions {
  if (!scope) return {};
  const regions = scope.regionType !== undefined || scope.taskId !== undefined ? { type: scope.regionType, taskId: scope.taskId } : undefined;
  return { goroutineName: scope.goroutineName, regions, fromNs: scope.fromNs, toNs: scope.toNs };
}

export function registerTraceProfiles(connection: Connection): void {
  let last: { path: string; mtimeMs: number; size: number; model: ExecutionTraceModel } | undefined;

  const modelOf = async (path: string): Promise<ExecutionTraceModel> => {
    const stat = await fs.promises.stat(path);
    if (last && last.path === path && last.mtimeMs === stat.mtimeMs && last.size === stat.size) return last.model;
    last = undefined;
    const model = decodeExecutionTrace(await fs.promises.readFile(path));
    last = { path, mtimeMs: stat.mtimeMs, size: stat.size, model };
    return model;
  };

  const derive = async (params: DeriveTraceProfileParams): Promise<DeriveTraceProfileResult> => {
    const model = await modelOf(params.trace);
    const options = optionsOf(params.scope);
    const profile = traceProfile(model, params.type, options);
    // An empty profile is not written: there is nothing to open, only the reason to tell.
    if (profile.samples.count === 0) return { ok: true, path: params.out, stacks: 0, contentions: 0, delayNs: 0, empty: explainEmptyTraceProfile(model, params.type, options) };
    writeProfileFile(params.out, profile);
    let contentions = 0;
    let delayNs = 0;
    for (let s = 0; s < profile.samples.count; s++) {
      contentions += profile.samples.values[2 * s]!;
      delayNs += profile.samples.values[2 * s + 1]!;
    }
    return { ok: true, path: params.out, stacks: profile.samples.count, contentions, delayNs };
  };

  onRequest(connection, DeriveTraceProfileRequest, derive, {
    what: (params) => `Deriving the ${params.type} profile of ${params.trace}`,
    answer: (error): DeriveTraceProfileResult => {
      if (error instanceof TraceError || error instanceof TraceProfileError || error instanceof FileWriteError) return { ok: false, code: error.code, message: error.message };
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { ok: false, code: 'not-found', message: 'The trace file is gone: it was moved or deleted.' };
      return { ok: false, code: 'failed', message: error instanceof Error ? error.message : String(error) };
    },
  });
}
