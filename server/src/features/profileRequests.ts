// The custom profile requests of common/profileProtocol.ts: load a profile (and a diff base), the state,
// view changes (active profile, sample type, base, label filter, unload), heat of a document, top
// functions, a function's detail, the flame graph, and a profile's (or trace's) file name resolved to a
// local file. Failures the client shows as results (a file that is not a profile, a bad label filter)
// are answered through the handlers' fallback; anything else is a ResponseError.

import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import {
  FlameGraphRequest, FunctionDetailRequest, LineHeatRequest, LoadProfileRequest, ProfileStateRequest, ResolveSourceRequest,
  TopFunctionsRequest, UpdateProfileViewRequest,
  type FlameGraphResult, type LoadProfileParams, type LoadProfileResult, type ResolveSourceParams, type ResolveSourceResult,
  type UpdateProfileViewResult,
} from '../../../common/profileProtocol';
import { isProfileError, prepareQuery } from '../../../core/profiles';
import type { DocumentSync } from '../lsp/documentSync';
import { onRequest } from '../lsp/handlers';
import { summaryView, toFlameGraphData } from '../profiles/flameGraphData';
import { ProfileLoadError } from '../profiles/profileStore';
import type { ProfileSession } from './profileSession';

const NOT_READY = 'The language server is still starting; try again in a moment.';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function registerProfileRequests(connection: Connection, profiles: ProfileSession, documents: DocumentSync): void {
  onRequest(connection, LoadProfileRequest, (params) => load(connection, profiles, params), {
    what: (params) => `Loading ${params.path}`,
    answer: (error): LoadProfileResult => ({ ok: false, code: error instanceof ProfileLoadError || isProfileError(error) ? error.code : 'failed', message: errorMessage(error) }),
  });

  onRequest(connection, ProfileStateRequest, () => profiles.model?.state() ?? null);

  onRequest(connection, UpdateProfileViewRequest, async (params): Promise<UpdateProfileViewResult> => {
    const model = profiles.model;
    if (!model) return { ok: false, message: NOT_READY };
    await model.updateView(params);
    profiles.changed();
    return { ok: true };
  }, {
    what: () => 'Changing the profile view',
    answer: (error): UpdateProfileViewResult => ({ ok: false, message: errorMessage(error) }),
  });

  onRequest(connection, LineHeatRequest, (params) => {
    const doc = documents.fileText(params.uri);
    const model = profiles.model;
    return doc && model ? model.projections.heat(doc) : { lines: [] };
  }, {
    what: (params) => `Heat for ${params.uri}`,
    answer: (error) => ({ lines: [], note: errorMessage(error) }),
  });

  onRequest(connection, TopFunctionsRequest, (params) => profiles.model?.projections.topFunctions(Math.max(1, Math.min(params.limit, 5000)), params.sortBy) ?? null);

  onRequest(connection, FunctionDetailRequest, (params) => profiles.model?.projections.functionDetail(params.functionName) ?? null);

  onRequest(connection, FlameGraphRequest, () => flameGraph(profiles), {
    what: () => 'The flame graph',
    answer: (error): FlameGraphResult => ({ ok: false, message: errorMessage(error) }),
  });

  onRequest(connection, ResolveSourceRequest, (params) => resolveSource(profiles, params));
}

async function load(connection: Connection, profiles: ProfileSession, params: LoadProfileParams): Promise<LoadProfileResult> {
  const model = profiles.model;
  if (!model) return { ok: false, code: 'not-ready', message: NOT_READY };
  const profile = await model.store.load(params, { makeActive: params.makeActive });
  if (params.base) {
    const base = await model.store.load(params.base, { makeActive: false });
    await model.applyView({ activeId: profile.id, baseId: base.id });
  }
  connection.console.log(`Loaded ${profile.label} (${params.path}).`);
  // The client takes the new state from this notification, which it receives before the answer.
  profiles.changed();
  return { ok: true, profile };
}

function flameGraph(profiles: ProfileSession): FlameGraphResult {
  const model = profiles.model;
  const view = model?.projections.view();
  const active = model?.store.active();
  if (!model || !view || !active) return { ok: false, message: 'No profile is active. Open one with "Go Trace Lens: Open Profile…" or capture one.' };
  const base = model.store.base();
  const { graph, base: baseGraph } = view.flameGraphs();
  const data = toFlameGraphData(graph, baseGraph, base?.label);
  const { sampleIndex, labelFilter } = model.store.viewOptions();
  const query = baseGraph ? prepareQuery(view.profile, { sampleIndex, tags: labelFilter ? [labelFilter] : undefined }) : view.query;
  const summary = summaryView(view.profile, query, {
    title: active.label,
    kindHint: active.info.kind,
    filter: labelFilter ?? undefined,
    diffBase: base?.label,
  });
  return { ok: true, data, summary };
}

function resolveSource(profiles: ProfileSession, params: ResolveSourceParams): ResolveSourceResult {
  const sources = profiles.model?.sources;
  if (!sources) return { localPath: null, reason: 'no profile is loaded', readOnly: false };
  const localPath = sources.resolve(params.profileFile);
  if (!localPath) return { localPath: null, reason: sources.unresolvedReason(params.profileFile) ?? 'not found', readOnly: false };
  return { localPath: path.normalize(localPath), readOnly: !sources.isInWorkspace(localPath) };
}
