// The timeline core's face: execution traces (Go 1.22+) and span traces (OTLP/JSON, Jaeger,
// Zipkin) to timeline models, broken-chain problems, span↔task matching and summaries. Everything here
// is pure TypeScript with no Node or DOM imports, so the timeline's web worker bundles it as is.

export { TraceError, isTraceError, type TraceErrorCode } from './traceError';
export { detectTraceFormat, type TraceFormat } from './detectTraceFormat';
export { readExecutionTraceHeader, type ExecutionTraceHeader } from './execution/executionTraceHeader';
export { decodeExecutionTrace, type DecodeExecutionTraceOptions } from './execution/decodeExecutionTrace';
export * from './execution/executionTraceModel';
export { EventKind, EVENT_KIND_NAMES, type EventTable, type EventKindName } from './execution/eventTable';
export { describeEvent, describeStack, listEvents } from './execution/eventListing';
export { eventTypeName } from './execution/wireFormat';
export { parseSpanTrace, detectSpanFormat } from './spans/parseSpanTrace';
export * from './spans/spanTraceModel';
export { DEFAULT_CLOCK_SKEW_TOLERANCE_NS, type SpanProblemOptions } from './spans/spanProblems';
export { matchSpansToTasks, type SpanTaskMatch, type SpanTaskMatching, type GoroutineActivity } from './matchSpansToTasks';
export { summarizeExecutionTrace, summarizeSpanTrace, describeExecutionTrace, describeSpanTrace } from './traceSummary';
export { lowerBound, upperBound, visibleIntervals, visibleEvents, stackFrames, transferables } from './timelineQueries';
export { transitionStack } from './execution/eventFields';
export {
  TRACE_PROFILE_TYPES,
  TraceProfileError,
  explainEmptyTraceProfile,
  traceProfile,
  type TraceProfileErrorCode,
  type TraceProfileOptions,
  type TraceProfileType,
  type TraceRegionFilter,
} from './analysis/traceProfiles';
export {
  summarizeGoroutines,
  goroutineNames,
  nonOverlappingStats,
  compareStatNames,
  unknownTime,
  sumStats,
  isSystemGoroutine,
  formatGoDuration,
  timeRange,
  type GoroutineAnalysis,
  type GoroutineSummary,
  type GoroutineGroup,
  type GoroutineExecStats,
  type UserRegionSummary,
  type UserTaskSummary,
  type RegionFrame,
  type TimeRangeOptions,
} from './analysis/goroutineSummary';
export { transitionTable, transitionLabel, nearestRank, type TransitionTable, type TransitionStats, type TransitionInstance, type TransitionOptions, type GoroutineStateName } from './analysis/stateTransitions';
