// One home for every id the extension shares with package.json: commands, views, context keys, the
// output channel and the diagnostic source. Spelled exactly as in package.json's `contributes`. Settings
// have theirs, with their defaults and validation, in settings.ts.

export const EXTENSION_NAME = 'Go Trace Lens';
export const DIAGNOSTIC_SOURCE = 'go-trace-lens';
export const OUTPUT_CHANNEL_NAME = 'Go Trace Lens';
/** Where `go test` runs started from the editor stream their output. */
export const TESTS_OUTPUT_CHANNEL_NAME = 'Go Trace Lens: Tests';

export const Commands = {
  restartServer: 'goTraceLens.server.restart',
  showOutput: 'goTraceLens.output.show',
} as const;

/** The activity-bar container of the extension's views (Captures, Profile). */
export const VIEW_CONTAINER_ID = 'goTraceLens';

/** Commands of the capture feature (client/src/capture). Per-kind commands are `goTraceLens.capture.<kind>`. */
export const CaptureCommands = {
  captureProfile: 'goTraceLens.capture.profile',
  setCredentials: 'goTraceLens.capture.setCredentials',
  discoverServices: 'goTraceLens.capture.discover',
  compareWithPrevious: 'goTraceLens.capture.compareWithPrevious',
  open: 'goTraceLens.capture.open',
  revealInExplorer: 'goTraceLens.capture.revealInExplorer',
  revealInOs: 'goTraceLens.capture.revealInOs',
  delete: 'goTraceLens.capture.delete',
  refresh: 'goTraceLens.capture.refresh',
  /** A `go tool trace -pprof` profile of an execution trace, saved beside the captures and opened. */
  traceProfile: 'goTraceLens.capture.traceProfile',
} as const;

/**
 * Commands of the backends feature (client/src/backends). `openTrace` takes an optional
 * `{traceId, backend}` (the links and hovers on trace IDs pass both); `setCredentials` an optional backend name.
 */
export const BackendCommands = {
  openTrace: 'goTraceLens.backends.openTrace',
  searchTraces: 'goTraceLens.backends.searchTraces',
  openProfile: 'goTraceLens.backends.openProfile',
  compareEarlier: 'goTraceLens.backends.compareEarlier',
  setCredentials: 'goTraceLens.backends.setCredentials',
} as const;

/** One command per capture kind, for key bindings (the kind ids of core/capture/captureKinds.ts). */
export const CaptureKindCommands = {
  cpu: 'goTraceLens.capture.cpu',
  heap: 'goTraceLens.capture.heap',
  allocs: 'goTraceLens.capture.allocs',
  goroutine: 'goTraceLens.capture.goroutine',
  mutex: 'goTraceLens.capture.mutex',
  block: 'goTraceLens.capture.block',
  threadcreate: 'goTraceLens.capture.threadcreate',
  trace: 'goTraceLens.capture.trace',
  'heap-delta': 'goTraceLens.capture.heapDelta',
  'allocs-delta': 'goTraceLens.capture.allocsDelta',
  'mutex-delta': 'goTraceLens.capture.mutexDelta',
  'block-delta': 'goTraceLens.capture.blockDelta',
} as const;

export const CaptureViews = {
  captures: 'goTraceLens.captures',
} as const;

/** Context keys the capture feature sets for `when` clauses in package.json. */
export const CaptureContextKeys = {
  folderInWorkspace: 'goTraceLens.capture.folderInWorkspace',
} as const;

/**
 * Commands of the trace timeline. `open` (uri: vscode.Uri) opens an execution trace; the capture feature
 * calls it for a saved trace once it is registered.
 */
export const TraceCommands = {
  open: 'goTraceLens.trace.open',
} as const;

/** Commands of the profile feature (client/src/profiles). */
export const ProfileCommands = {
  open: 'goTraceLens.profile.open',
  compare: 'goTraceLens.profile.compare',
  chooseBase: 'goTraceLens.profile.chooseBase',
  clearBase: 'goTraceLens.profile.clearBase',
  clear: 'goTraceLens.profile.clear',
  selectActive: 'goTraceLens.profile.selectActive',
  switchSampleType: 'goTraceLens.profile.switchSampleType',
  filterByLabel: 'goTraceLens.profile.filterByLabel',
  clearLabelFilter: 'goTraceLens.profile.clearLabelFilter',
  groupByLabel: 'goTraceLens.profile.groupByLabel',
  ungroup: 'goTraceLens.profile.ungroup',
  showSpanProfile: 'goTraceLens.profile.showSpanProfile',
  sortByFlat: 'goTraceLens.profile.sortByFlat',
  sortByCum: 'goTraceLens.profile.sortByCum',
  openSource: 'goTraceLens.profile.openSource',
  addPathMapping: 'goTraceLens.profile.addPathMapping',
  toggleHeatAnnotations: 'goTraceLens.profile.toggleHeatAnnotations',
  showFlameGraph: 'goTraceLens.flameGraph.show',
  revealInFlameGraph: 'goTraceLens.flameGraph.reveal',
} as const;

export const ProfileViews = {
  profile: 'goTraceLens.profile',
} as const;

/** The custom read-only editor for profile files (and the flame graph inside it). */
export const PROFILE_EDITOR_VIEW_TYPE = 'goTraceLens.profileEditor';
export const FLAME_GRAPH_PANEL_VIEW_TYPE = 'goTraceLens.flameGraph';

export const ProfileContextKeys = {
  active: 'goTraceLens.profile.active',
  diffing: 'goTraceLens.profile.diffing',
  filtered: 'goTraceLens.profile.filtered',
  grouped: 'goTraceLens.profile.grouped',
  sortBy: 'goTraceLens.profile.sortBy',
} as const;

/** Theme colours contributed in package.json for heat. */
export const HeatColors = {
  levels: ['goTraceLens.heat.level1', 'goTraceLens.heat.level2', 'goTraceLens.heat.level3', 'goTraceLens.heat.level4', 'goTraceLens.heat.level5'],
  grew: 'goTraceLens.heat.grew',
  shrank: 'goTraceLens.heat.shrank',
  annotation: 'goTraceLens.heat.annotationForeground',
  ruler: 'goTraceLens.heat.overviewRuler',
} as const;

/** The trace timeline (client/src/timeline, media/timeline): its custom editor, commands and context keys. */
export const TRACE_EDITOR_VIEW_TYPE = 'goTraceLens.traceEditor';

export const TimelineCommands = {
  /** "Open in Timeline" on a trace file (editor title, explorer): (uri: vscode.Uri). */
  openInTimeline: 'goTraceLens.trace.openInTimeline',
} as const;

export const TimelineContextKeys = {
  /** The active text editor shows a span trace (JSON) the timeline can open. */
  activeEditorIsTrace: 'goTraceLens.trace.activeEditorIsTrace',
} as const;

/**
 * Profiling tests and benchmarks with `go test` (client/src/testing). `profileFunction` is the command of
 * the lens above a test or benchmark (a TestFunctionRef, common/testingProtocol.ts); `profilePackage`
 * (uri?: vscode.Uri, a folder or a file in it) profiles a whole package's tests or benchmarks.
 */
export const TestingCommands = {
  profileFunction: 'goTraceLens.testing.profileFunction',
  profilePackage: 'goTraceLens.testing.profilePackage',
} as const;
