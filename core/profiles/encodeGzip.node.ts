// A decoded Profile as the bytes of a .pb.gz file: profile.proto, gzip-compressed as Go writes profiles.
// Node-only (zlib); used to write profiles derived in TypeScript (the trace-derived profiles) to files.

import { gzipSync } from 'node:zlib';
import { encodeProfile } from './encode';
import type { Profile } from './profile';

export function encodeProfileGzip(profile: Profile): Uint8Array {
  return gzipSync(encodeProfile(profile));
}
