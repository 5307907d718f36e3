// The capture core's face: capture kinds, endpoint URLs, headers, redaction and the errors a capture can
// end in, and the formatters the backends core shares with it. Plain TypeScript, shared by the extension
// host and the CLI.

export { CaptureError, USAGE_ERROR_CODES, isCaptureError } from './captureError';
export type { CaptureErrorCode } from './captureError';
export { checkHeaders, mergeHeaders, parseHeaderLine } from './captureHeaders';
export { CAPTURE_KINDS, CAPTURE_KIND_IDS, MAX_CAPTURE_SECONDS, findCaptureKind } from './captureKinds';
export type { CaptureKind, CaptureKindId } from './captureKinds';
export { DEFAULT_ENDPOINT_URL, defaultEndpointName, parseEndpointUrl } from './endpointUrl';
export { formatBytes, formatDuration } from './formatting';
export { htmlTitle } from './htmlPage';
export { quoteBody } from './httpStatus';
export { isLoopbackHost } from './loopback';
export { Redactor, isSensitiveHeader, redactUrl } from './redact';
