// The capture core's face: capture kinds and file names, endpoint URLs, headers, redaction and the errors
// a capture can end in, and the formatters the backends core shares with it. Plain TypeScript, shared by
// the extension host and the CLI.

export { CaptureError, USAGE_ERROR_CODES, isCaptureError } from './captureError';
export { captureFileName, parseCaptureFileName, partialFileName, sanitizeEndpointName } from './captureFileName';
export type { CaptureErrorCode } from './captureError';
export { checkHeaders, mergeHeaders, parseHeaderLine } from './captureHeaders';
export { BACKEND_SAVED_KINDS, CAPTURE_KINDS, CAPTURE_KIND_IDS, DERIVED_KINDS, MAX_CAPTURE_SECONDS, derivedKindOf, findCaptureKind, findSavedKind } from './captureKinds';
export type { BackendSavedKind, BackendSavedKindId, CaptureKind, CaptureKindId, DerivedKind, DerivedKindId, SavedKindId } from './captureKinds';
export { DEFAULT_ENDPOINT_URL, defaultEndpointName, parseEndpointUrl } from './endpointUrl';
export { formatBytes, formatDuration } from './formatting';
export { htmlTitle } from './htmlPage';
export { quoteBody } from './httpStatus';
export { isLoopbackHost } from './loopback';
export { Redactor, isSensitiveHeader, redactUrl } from './redact';
