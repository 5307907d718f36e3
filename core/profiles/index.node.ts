// The profiles core's Node-only face: decoding a profile file from disk, and source files read with fs.

export { decodeProfileFile } from './profileFile.node';
export { nodeSourceFileSystem } from './sourceFileSystem.node';
