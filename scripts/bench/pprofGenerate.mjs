#!/usr/bin/env node
// Writes a large synthetic CPU profile for `npm run bench:pprof`: 1,000,000 samples over 50,000 locations
// (5,000 functions in 500 files, a tenth of the locations with an inlined frame), stacks drawn from a
// random call tree 4 to 40 frames deep, a "worker" label on every sample. Deterministic (seeded), encoded
// with a small protobuf writer of its own (protobufjs objects for a million samples would not fit the
// memory the benchmark is about), gzipped like /debug/pprof serves it.
//
//   node scripts/bench/pprofGenerate.mjs OUT.pb.gz [samples] [locations]

import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** A growable byte buffer with protobuf varint, tag and length-delimited writers. */
class ProtoWriter {
  constructor(size = 1 << 20) {
    this.buf = Buffer.allocUnsafe(size);
    this.pos = 0;
  }
  ensure(n) {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
  varint(v) {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }
  tag(field, wire) {
    this.varint(field * 8 + wire);
  }
  /** Writes a length-delimited field whose body `write(w)` produces. */
  message(field, write) {
    const body = new ProtoWriter(256);
    write(body);
    this.tag(field, 2);
    this.varint(body.pos);
    this.ensure(body.pos);
    body.buf.copy(this.buf, this.pos, 0, body.pos);
    this.pos += body.pos;
  }
  packed(field, values) {
    this.message(field, (w) => {
      for (const v of values) w.varint(v);
    });
  }
  string(field, s) {
    const bytes = Buffer.from(s, 'utf8');
    this.tag(field, 2);
    this.varint(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.pos);
    this.pos += bytes.length;
  }
  bytes() {
    return this.buf.subarray(0, this.pos);
  }
}

/** A small deterministic PRNG (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateProfile(sampleCount = 1_000_000, locationCount = 50_000) {
  const rand = random(20240611);
  const functionCount = Math.max(1, Math.floor(locationCount / 10));
  const fileCount = Math.max(1, Math.floor(functionCount / 10));
  const strings = [''];
  const index = new Map([['', 0]]);
  const str = (s) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };

  const out = new ProtoWriter(64 << 20);
  out.message(1, (w) => { w.tag(1, 0); w.varint(str('samples')); w.tag(2, 0); w.varint(str('count')); });
  out.message(1, (w) => { w.tag(1, 0); w.varint(str('cpu')); w.tag(2, 0); w.varint(str('nanoseconds')); });

  // A call tree over the locations: each location's parent is an earlier one, so depth grows slowly.
  const parent = new Int32Array(locationCount).fill(-1);
  const depth = new Int32Array(locationCount);
  for (let l = 1; l < locationCount; l++) {
    for (;;) {
      const p = Math.floor(rand() * l);
      if (depth[p] < 39) {
        parent[l] = rand() < 0.02 ? -1 : p;
        depth[l] = parent[l] === -1 ? 0 : depth[p] + 1;
        break;
      }
    }
  }
  const workers = ['cpu', 'alloc', 'lock', 'chan'].map((v) => str(v));
  const workerKey = str('worker');
  const stack = [];
  for (let s = 0; s < sampleCount; s++) {
    let leaf = Math.floor(rand() * locationCount);
    // Prefer deeper frames, as real CPU profiles do; then make sure the stack is at least 4 frames deep.
    if (depth[leaf] < 4) leaf = Math.floor(rand() * locationCount);
    stack.length = 0;
    for (let l = leaf; l !== -1; l = parent[l]) stack.push(l + 1);
    while (stack.length < 4) stack.push(((stack.length * 7919) % locationCount) + 1);
    const count = 1 + Math.floor(rand() * 4);
    const worker = workers[Math.floor(rand() * workers.length)];
    out.message(2, (w) => {
      w.packed(1, stack);
      w.packed(2, [count, count * 10_000_000]);
      w.message(3, (lw) => { lw.tag(1, 0); lw.varint(workerKey); lw.tag(2, 0); lw.varint(worker); });
    });
  }

  out.message(3, (w) => {
    w.tag(1, 0); w.varint(1);
    w.tag(2, 0); w.varint(0x400000);
    w.tag(3, 0); w.varint(0x400000 + locationCount * 64);
    w.tag(5, 0); w.varint(str('/srv/bin/bench-service'));
    w.tag(7, 0); w.varint(1);
  });
  for (let l = 0; l < locationCount; l++) {
    const fn = l % functionCount;
    const inlined = l % 10 === 0;
    out.message(4, (w) => {
      w.tag(1, 0); w.varint(l + 1);
      w.tag(2, 0); w.varint(1);
      w.tag(3, 0); w.varint(0x400000 + l * 64);
      if (inlined) {
        w.message(4, (lw) => { lw.tag(1, 0); lw.varint(((fn + 1) % functionCount) + 1); lw.tag(2, 0); lw.varint(20 + (l % 30)); });
      }
      w.message(4, (lw) => { lw.tag(1, 0); lw.varint(fn + 1); lw.tag(2, 0); lw.varint(100 + (l % 200)); });
    });
  }
  for (let f = 0; f < functionCount; f++) {
    const pkg = `example.com/bench/pkg${f % fileCount}`;
    const name = `${pkg}.function${f}`;
    const file = `${pkg}/file${f % fileCount}.go`;
    out.message(5, (w) => {
      w.tag(1, 0); w.varint(f + 1);
      w.tag(2, 0); w.varint(str(name));
      w.tag(3, 0); w.varint(str(name));
      w.tag(4, 0); w.varint(str(file));
      w.tag(5, 0); w.varint(90);
    });
  }
  // Strings come last; their indices were handed out above.
  for (const s of strings) out.string(6, s);
  out.tag(9, 0); out.varint(1_700_000_000_000_000_000);
  out.tag(10, 0); out.varint(30_000_000_000);
  out.message(11, (w) => { w.tag(1, 0); w.varint(str('cpu')); w.tag(2, 0); w.varint(str('nanoseconds')); });
  out.tag(12, 0); out.varint(10_000_000);
  return out.bytes();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, samples, locations] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node scripts/bench/pprofGenerate.mjs OUT.pb.gz [samples] [locations]');
    process.exit(2);
  }
  const raw = generateProfile(Number(samples ?? 1_000_000), Number(locations ?? 50_000));
  writeFileSync(file, gzipSync(raw));
  console.log(`${file}: ${raw.length} bytes uncompressed`);
}
