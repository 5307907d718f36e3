// The profiles core's face: pprof bytes to a decoded profile, aggregates (functions, lines, callers, the
// flame graph, top), goroutine dumps, units and source path mapping. Plain TypeScript: no vscode, no DOM,
// no Node; the flame graph webview uses its units.

export { accumulateNodeValues } from './aggregate';
export { callersAndCallees } from './callGraph';
export { DEFAULT_MAX_DECOMPRESSED_BYTES, decodeProfile } from './decode';
export type { DecodeOptions, Gunzip } from './decode';
export { goroutineDumpToProfile } from './dumpProfile';
export { flameGraph } from './flameGraph';
export type { FlameGraph } from './flameGraph';
export { compareGoStrings } from './frameNodes';
export { looksLikeGoroutineDump, parseGoroutineDump } from './goroutineDump';
export type { DumpGoroutine } from './goroutineDump';
export { cleanPath, isWithin } from './pathUtil';
export type { Profile, ValueType } from './profile';
export { ProfileError, isProfileError } from './profileError';
export { describeProfile, profileKindTitle, sampleTypeLabel } from './profileInfo';
export type { ProfileInfo, ProfileKind } from './profileInfo';
export { prepareQuery } from './query';
export type { ProfileQuery } from './query';
export { SampleStacks, mapQueryNodes } from './sampleStacks';
export type { QueryNodes } from './sampleStacks';
export { exactLabelFilter, labelValueTotals } from './labelTotals';
export type { LabelTotals, LabelValueTotal } from './labelTotals';
export { isGzip } from './sniff';
export { SPAN_ID_LABEL_KEYS, spanSamples } from './spanLabels';
export type { SpanSamples } from './spanLabels';
export type { SourceFileSystem } from './sourceFileSystem';
export { SourcePathResolver } from './sourceMap';
export type { PathSubstitution } from './sourceMap';
export { DEFAULT_NODE_FRACTION, topReport } from './topReport';
export type { TopReport } from './topReport';
export { renderTopText } from './topText';
export { formatPercentage, formatValue } from './units';
