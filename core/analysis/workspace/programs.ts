// Programs of the workspace index: each main package with the packages it imports (transitively, as far as
// the index knows them: workspace modules and the indexed dependencies), and what they do together about
// trace propagation. Recomputed when the index changes, only when a propagation rule asks.

import type { FileSummary } from './goSummary';
import {
  TRACE_FORMATS, isNonPropagatingInstrumentation, propagatingInstrumentation, type PropagationFormat, type PropagatorSetting, type SiteSummary,
} from './propagation';

export interface ProgramSite extends SiteSummary {
  readonly file: string;
}

export interface Program {
  /** The main package's folder. */
  readonly dir: string;
  /** How messages name it: the last two segments of its import path, or of its folder (`cmd/frontend`). */
  readonly name: string;
  /** Every folder whose package it contains. */
  readonly dirs: ReadonlySet<string>;
  readonly tracerProviders: readonly ProgramSite[];
  readonly propagators: readonly (PropagatorSetting & { readonly file: string })[];
  /** Its SetTextMapPropagator calls. */
  readonly propagatorSites: readonly ProgramSite[];
  readonly usesGlobalPropagator: boolean;
  readonly configuresPropagation: boolean;
  readonly instrumentsGrpc: boolean;
  readonly instrumentsHttp: boolean;
  readonly replacesDefaultTransport: boolean;
  /** The instrumentation it uses, for messages (`otelhttp`, `otelgrpc`). */
  readonly instrumentation: readonly string[];
  /**
   * The formats it sends and reads: those of its SetTextMapPropagator calls, or of its one non-OpenTelemetry
   * tracer when it sets no propagator; undefined when they cannot be read (or it sends none).
   */
  readonly formats?: readonly PropagationFormat[];
}

export interface IndexedSummary {
  readonly path: string;
  readonly summary: FileSummary;
}

function isTestFile(path: string): boolean {
  return path.endsWith('_test.go');
}

function displayName(dir: string): string {
  const parts = dir.split('/').filter(Boolean);
  return parts.slice(-2).join('/') || dir;
}

/**
 * The programs among the files (grouped by folder): `directoryOf` maps an import path to the folder that holds
 * it, when the index knows one.
 */
export function computePrograms(
  filesByDir: ReadonlyMap<string, readonly IndexedSummary[]>,
  directoryOf: (importPath: string) => string | undefined,
  importPathOf: (dir: string) => string | undefined,
): Program[] {
  const programs: Program[] = [];
  for (const [dir, files] of filesByDir) {
    if (!files.some((f) => !isTestFile(f.path) && f.summary.packageName === 'main')) continue;
    const dirs = new Set<string>([dir]);
    const queue = [dir];
    while (queue.length > 0) {
      const current = queue.pop()!;
      for (const file of filesByDir.get(current) ?? []) {
        if (isTestFile(file.path)) continue;
        for (const imported of file.summary.imports) {
          const target = directoryOf(imported.path);
          if (target !== undefined && !dirs.has(target) && filesByDir.has(target)) {
            dirs.add(target);
            queue.push(target);
          }
        }
      }
    }
    programs.push(programOf(dir, dirs, filesByDir, importPathOf));
  }
  return programs;
}

function programOf(
  dir: string, dirs: ReadonlySet<string>, filesByDir: ReadonlyMap<string, readonly IndexedSummary[]>, importPathOf: (dir: string) => string | undefined,
): Program {
  const tracerProviders: ProgramSite[] = [];
  const propagators: (PropagatorSetting & { file: string })[] = [];
  let usesGlobalPropagator = false, configuresPropagation = false, instrumentsGrpc = false, instrumentsHttp = false, replacesDefaultTransport = false;
  const legacy = new Set<PropagationFormat>();
  const instrumentation = new Set<string>();
  for (const d of dirs) {
    // The code of an instrumentation package that does not propagate (otelaws reading the global
    // propagator for AWS's requests) says nothing about the program's propagation.
    const quiet = isNonPropagatingInstrumentation(importPathOf(d));
    for (const { path, summary } of filesByDir.get(d) ?? []) {
      const p = summary.propagation;
      if (!p || isTestFile(path)) continue;
      for (const site of p.tracerProviders ?? []) tracerProviders.push({ ...site, file: path });
      for (const setting of p.propagators ?? []) propagators.push({ ...setting, file: path });
      usesGlobalPropagator ||= !!p.usesGlobalPropagator && !quiet;
      configuresPropagation ||= !!p.configuresPropagation;
      instrumentsGrpc ||= !!p.instrumentsGrpc;
      instrumentsHttp ||= !!p.instrumentsHttp;
      replacesDefaultTransport ||= !!p.replacesDefaultTransport;
      for (const f of p.legacyTracers ?? []) legacy.add(f);
      const used = summary.imports.map((i) => propagatingInstrumentation(i.path)).filter((i): i is string => !!i);
      for (const i of used) instrumentation.add(i);
      if (p.usesGlobalPropagator && used.length === 0 && !quiet) instrumentation.add('otel.GetTextMapPropagator()');
    }
  }
  let formats: PropagationFormat[] | undefined;
  if (propagators.length > 0) {
    formats = propagators.every((s) => s.formats) ? [...new Set(propagators.flatMap((s) => s.formats!))].sort() : undefined;
  } else if (tracerProviders.length === 0 && legacy.size === 1) {
    formats = [...legacy];
  }
  if (formats && !formats.some((f) => TRACE_FORMATS.includes(f))) formats = undefined;
  return {
    dir, name: displayName(importPathOf(dir) ?? dir), dirs, tracerProviders, propagators,
    propagatorSites: propagators.map((s) => ({ ...s.site, file: s.file })),
    usesGlobalPropagator, configuresPropagation, instrumentsGrpc, instrumentsHttp, replacesDefaultTransport,
    instrumentation: [...instrumentation].sort(),
    ...(formats ? { formats } : {}),
  };
}
