// The capture core's Node-only face: streaming a /debug/pprof endpoint to a validated file (and moving a
// file into place under a capture's name), the captures folder, and discovering local services. Used by
// the extension host and the CLI.

export { compareNewestFirst, listCaptures } from './captureCatalog.node';
export { makeFolder, readFileHead } from './captureFiles.node';
export type { SavedCapture } from './captureCatalog.node';
export { DEFAULT_CAPTURE_TIMEOUT_MS, DEFAULT_MAX_CAPTURE_BYTES, captureToFile, moveIntoPlace } from './captureToFile.node';
export type { CaptureProgress, CaptureResult } from './captureToFile.node';
export { discoverLocalServices } from './discoverServices.node';
export type { DiscoveredService, DiscoveryResult } from './discoverServices.node';
