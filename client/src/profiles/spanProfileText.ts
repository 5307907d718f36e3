// The texts of span profiles: what "CPU profile of this span" says when it shows the span's samples or
// finds none (and why), and the order in which "Group by Label…" offers label keys. Pure: no vscode.

import type { SpanSamplesInProfile, SpanSamplesResult } from '../../../common/profileProtocol';
import type { SpanProfileRequest } from '../../../common/timelineProtocol';

export function spansText(request: SpanProfileRequest): string {
  const below = request.spanIds.length - 1;
  return `span "${request.spanName}"${below > 0 ? ` and the ${below} span${below === 1 ? '' : 's'} below it` : ''}`;
}

/** Why no loaded profile has samples of the spans, and the buttons that help. */
export function noSamplesMessage(request: SpanProfileRequest, result: SpanSamplesResult): { readonly message: string; readonly actions: readonly string[] } {
  const what = spansText(request);
  if (result.loaded === 0) {
    return {
      message: `No profile is open to find the samples of ${what} in. Capture a CPU profile of ${request.service || 'the service'} while it serves such requests (its spans must label their goroutines with span_id, as otel-profiling-go and examples/shop do), then ask again.`,
      actions: ['Capture Profile…', 'Open Profile…'],
    };
  }
  if (result.labelledWithout.length > 0) {
    return {
      message: `${result.labelledWithout.join(', ')} ${result.labelledWithout.length === 1 ? 'carries' : 'carry'} span IDs, but no samples of ${what}. A span is seen only if it ran on the CPU while a sample was taken (Go samples every 10 ms of CPU time by default), and only if the profile was taken while it ran.`,
      actions: ['Capture Profile…', 'Open Profile…'],
    };
  }
  return {
    message: `None of the ${result.loaded} open profile${result.loaded === 1 ? '' : 's'} has span IDs on its samples, so none can say what ${what} did. Have each span label its goroutine with its ID (pprof labels span_id, trace_id, span_name: runtime/pprof's SetGoroutineLabels or pprof.Do, as examples/shop/tracing does, or Pyroscope's otel-profiling-go), then capture a CPU profile.`,
    actions: ['Open Profile…'],
  };
}

/** The message once the span's samples are shown. */
export function shownMessage(request: SpanProfileRequest, hit: SpanSamplesInProfile): string {
  const label = hit.label.replace(/^cpu profile · /, '');
  return `CPU profile of ${spansText(request)}: ${hit.totalText} (${hit.shareText} of ${label}) in ${hit.samples} sample${hit.samples === 1 ? '' : 's'}. Lenses, heat, the Profile view and the flame graph now show only them.`;
}

/** Label keys in the order a grouping offers them: span names first (where a profile of spans is read by span). */
export function groupingKeys(keys: readonly string[]): string[] {
  const rank = (key: string) => { const i = SPAN_GROUPING_KEYS.indexOf(key); return i === -1 ? SPAN_GROUPING_KEYS.length : i; };
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const SPAN_GROUPING_KEYS = ['span_name', 'trace endpoint', 'trace_endpoint'];

export function describeLabelValues(values: readonly string[]): string {
  const shown = values.slice(0, 3).join(', ');
  return values.length > 3 ? `${shown}, …` : shown;
}
