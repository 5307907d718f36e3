// The backends core's Node-only face: every operation over Node's http(s), cancellable, with progress,
// a size cap and timeouts. Used by the extension host and the CLI.

export { fetchProfile, fetchTrace, listProfileLabelNames, listProfileLabelValues, listProfileTypes, listTraceServices, searchTraceSpans, searchTraces } from './backendClient.node';
export { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_REQUEST_TIMEOUT_MS, createHttpSend } from './httpTransport.node';
export type { BackendProgress, TransportOptions } from './httpTransport.node';
