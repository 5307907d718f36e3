// The backends core's face: the trace and profile backends a fleet already runs (Jaeger, Grafana Tempo,
// Zipkin, Grafana Pyroscope, Parca) described, checked and spoken to. Portable: the request building and
// answer reading take a Send function; index.node.ts supplies Node's http(s).

export { BACKEND_USAGE_ERROR_CODES, BackendError, isBackendError } from './backendError';
export type { BackendErrorCode, BackendErrorDetails } from './backendError';
export { BACKEND_KINDS, PROFILE_BACKEND_KINDS, TENANT_HEADER, TRACE_BACKEND_KINDS, authorizationFor, backendKindInfo, resolveBackend } from './backendSource';
export type { BackendCredentials, BackendKind, BackendKindInfo, BackendSource, ProfileBackendKind, ResolvedBackend, TraceBackendKind } from './backendSource';
export type { BackendAnswer, BackendContext, BackendRequest, Send } from './exchange';
export { fetchTraceWith, listProfileLabelNamesWith, listProfileLabelValuesWith, listProfileTypesWith, listTraceServicesWith, mergedProfileWith, searchTraceSpansWith, searchTracesWith } from './operations';
export type { FetchTraceOptions, TraceApi } from './operations';
export type { FetchedProfile, MergedProfile, ProfileRequest } from './profileFetch';
export { formatSelector, parseProfileTypeId, parseSelector, resolveProfileType } from './profileQuery';
export type { LabelMatcher, ProfileTypeInfo } from './profileQuery';
export type { TempoEncoding } from './tempo';
export { formatGoDuration, parseDuration, parseInstant, parseTimeRange } from './timeRange';
export type { TimeRange, TimeRangeInput } from './timeRange';
export { normalizeTraceId } from './traceId';
export { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from './traceQuery';
export type { FetchedTrace, TraceQuery } from './traceQuery';
export type { SearchedSpanFile, TraceSearchResult, TraceSummary } from './traceSummary';
