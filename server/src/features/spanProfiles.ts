// Span profiles in the language server: which loaded profiles hold samples of a span (the timeline's
// "CPU profile of this span"), and the active profile grouped by a label's values (the Profile view's
// "Group by Label…", span_name above all). Both read the profiles the server already decoded; nothing
// is decoded twice and nothing crosses to the extension host but the totals.

import type { Connection } from 'vscode-languageserver';
import {
  LabelGroupsRequest, SpanSamplesRequest,
  type LabelGroupsParams, type LabelGroupsResult, type SpanSamplesInProfile, type SpanSamplesParams, type SpanSamplesResult,
} from '../../../common/profileProtocol';
import { exactLabelFilter, formatPercentage, formatValue, labelValueTotals, prepareQuery, spanSamples } from '../../../core/profiles';
import { onRequest } from '../lsp/handlers';
import type { ProfileStore } from '../profiles/profileStore';
import type { ProfileSession } from './profileSession';

const MAX_SPAN_IDS = 10_000;

export function findSpanSamples(store: ProfileStore, params: SpanSamplesParams): SpanSamplesResult {
  const spanIds = params.spanIds.filter((id) => /^[0-9a-fA-F]{1,32}$/.test(id)).slice(0, MAX_SPAN_IDS);
  const found: (SpanSamplesInProfile & { readonly rank: number })[] = [];
  const labelledWithout: string[] = [];
  const loaded = store.all();
  for (const entry of loaded) {
    const query = prepareQuery(entry.profile, { sampleIndex: entry.info.defaultSampleIndex });
    const samples = spanSamples(query, spanIds);
    if (!samples) continue;
    if (samples.samples === 0) {
      labelledWithout.push(entry.label);
      continue;
    }
    found.push({
      profileId: entry.id,
      label: entry.label,
      path: entry.path,
      filter: samples.filter,
      samples: samples.samples,
      spansWithSamples: samples.spansWithSamples,
      totalText: formatValue(samples.total, query.sampleType.unit),
      shareText: formatPercentage(samples.total, query.total).trim(),
      sampleType: query.sampleType.type,
      rank: samples.total,
    });
  }
  found.sort((a, b) => b.rank - a.rank);
  return { profiles: found.map(({ rank: _rank, ...profile }) => profile), labelledWithout, loaded: loaded.length };
}

export function labelGroups(store: ProfileStore, params: LabelGroupsParams): LabelGroupsResult | null {
  const entry = store.active();
  if (!entry) return null;
  const view = store.viewOptions();
  const query = prepareQuery(entry.profile, { sampleIndex: view.sampleIndex, tags: view.labelFilter ? [view.labelFilter] : undefined });
  const totals = labelValueTotals(query, params.key);
  const unit = query.sampleType.unit;
  // The part of the view's samples that no value of the key covers.
  const rest = totals.queryTotal - totals.total;
  return {
    key: params.key,
    groups: totals.values.slice(0, Math.max(1, Math.min(params.limit, 1000))).map((v) => ({
      value: v.value,
      filter: exactLabelFilter(params.key, [v.value]),
      total: v.total,
      samples: v.samples,
      totalText: formatValue(v.total, unit),
      shareText: formatPercentage(v.total, query.total).trim(),
    })),
    ...(rest > 0 ? { unlabelledText: `${formatValue(rest, unit)} (${formatPercentage(rest, query.total).trim()}) without ${params.key}` } : {}),
  };
}

export function registerSpanProfiles(connection: Connection, profiles: ProfileSession): void {
  onRequest(connection, SpanSamplesRequest, (params) => {
    const model = profiles.model;
    return model ? findSpanSamples(model.store, params) : { profiles: [], labelledWithout: [], loaded: 0 };
  });
  onRequest(connection, LabelGroupsRequest, (params) => {
    const model = profiles.model;
    return model ? labelGroups(model.store, params) : null;
  });
}
