// One home for every id the extension shares with package.json: commands, settings, views, the
// output channel and the diagnostic source. Spelled exactly as in package.json's `contributes`.

export const EXTENSION_NAME = 'Go Trace Lens';
export const DIAGNOSTIC_SOURCE = 'go-trace-lens';
export const OUTPUT_CHANNEL_NAME = 'Go Trace Lens';

export const Commands = {
  restartServer: 'goTraceLens.server.restart',
  showOutput: 'goTraceLens.output.show',
} as const;

export const Settings = {
  section: 'goTraceLens',
  traceServer: 'goTraceLens.trace.server',
} as const;
