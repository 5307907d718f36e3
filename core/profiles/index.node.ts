// The profiles core's Node-only face: gzip through zlib, decoding a profile from disk or from memory,
// checking the head of a captured profile, and source files read with fs.

export { checkProfileHead, decodeProfileBytes, decodeProfileFile } from './profileFile.node';
export type { ProfileHeadCheck } from './profileFile.node';
export { nodeSourceFileSystem } from './sourceFileSystem.node';
export { FileWriteError, encodeProfileGzip, writeFileWhole, writeProfileFile } from './encodeGzip.node';
