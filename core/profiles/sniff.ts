// Recognizes gzip (how profiles travel), and the things people mistake for (or download instead of) a pprof
// profile, so the error can say what the bytes are and what to fetch instead: an HTML page, JSON, a Go
// execution trace, the text form of a profile (`?debug=1`), a legacy gperftools CPU profile, or plain text.

const ASCII_WHITESPACE = new Set([0x09, 0x0a, 0x0d, 0x20]);

/** gzip's magic bytes: how profiles arrive from /debug/pprof. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function asciiPrefix(data: Uint8Array, length: number): string {
  let s = '';
  const n = Math.min(length, data.length);
  for (let i = 0; i < n; i++) s += String.fromCharCode(data[i]!);
  return s;
}

/** True when the first bytes look like text: no control characters other than tab, CR and LF. */
function looksLikeText(data: Uint8Array): boolean {
  const n = Math.min(data.length, 512);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const b = data[i]!;
    if (b < 0x20 && !ASCII_WHITESPACE.has(b)) return false;
    if (b === 0x7f) return false;
  }
  return true;
}

/** Null when the bytes may be a protobuf profile; otherwise a message saying what they are instead. */
export function describeNonProfile(data: Uint8Array): string | null {
  let start = 0;
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) start = 3;
  while (start < data.length && ASCII_WHITESPACE.has(data[start]!)) start++;
  const head = asciiPrefix(data.subarray(start), 256);
  const lower = head.toLowerCase();

  if (head.startsWith('go 1.') && / trace\0/.test(head.slice(0, 24))) {
    return 'this is a Go execution trace (from /debug/pprof/trace or runtime/trace), not a pprof profile. Open it with the trace timeline (or `go tool trace`).';
  }
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || (lower.startsWith('<') && /<(html|head|body|title|pre|a |p>|div)/.test(lower))) {
    const hint = /\/debug\/pprof/.test(asciiPrefix(data, 4096)) ? ' It looks like the /debug/pprof/ index page: fetch a specific profile such as /debug/pprof/heap or /debug/pprof/profile?seconds=30.' : ' The URL probably served a web page (an error page, a login page or the pprof index) instead of a profile.';
    return `this is an HTML page, not a pprof profile.${hint}`;
  }
  if (head.startsWith('{') || (head.startsWith('[') && looksLikeText(data))) {
    return 'this is JSON, not a pprof profile. (Span exports and trace JSON go to the trace timeline; a profile is the protobuf from /debug/pprof/<profile>.)';
  }
  if (/^--- (heapz|contention|threadz)|^heap profile:|^goroutine profile:|^threadcreate profile:|^--- mutex:|^--- contention:|^cycles\/second=|^(\d+ )?@ 0x/.test(head) || /^goroutine \d+ \[/.test(head)) {
    return 'this is the text form of a Go profile (debug=1 or debug=2), which carries no exact values. Fetch the profile without the ?debug= parameter to get the protobuf form.';
  }
  // gperftools' legacy binary CPU profile: header words 0, 3, 0 (32- or 64-bit).
  if (data.length >= 24) {
    const isLegacy32 = data[0] === 0 && data[1] === 0 && data[2] === 0 && data[3] === 0 && data[4] === 3 && data[5] === 0 && data[6] === 0 && data[7] === 0;
    const isLegacy64 = isLegacy32 || (data.subarray(0, 8).every((b) => b === 0) && data[8] === 3 && data.subarray(9, 16).every((b) => b === 0));
    if (isLegacy64) {
      return 'this is a legacy gperftools CPU profile, which Go Trace Lens does not read. Convert it with `go tool pprof -proto FILE > profile.pb.gz`.';
    }
  }
  if (looksLikeText(data)) {
    const firstLine = head.split('\n')[0]!.slice(0, 60);
    return `this is text (it starts with "${firstLine}"), not a pprof profile. A profile is the binary protobuf served by /debug/pprof/<profile>.`;
  }
  return null;
}
