// The profiles core's Node-only face: gzip through zlib, decoding a profile from disk or from memory, and
// source files read with fs.

export { decodeProfileBytes, decodeProfileFile } from './profileFile.node';
export { nodeSourceFileSystem } from './sourceFileSystem.node';
