// gzip decompression with Node's zlib, as the language server, the CLI and the capture check use it:
// every compression level and strategy (stored, fixed and dynamic Huffman blocks), multi-member files,
// optional header fields, the cap, and random damage, which must always end in a ProfileError rather than
// another exception or a hang; and the bounded start of a longer file (gunzipPrefix).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constants, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { gunzipPrefix, gunzipWithZlib } from '../../core/profiles/gunzip.node';
import { ProfileError } from '../../core/profiles/profileError';
import { crc32 } from '../helpers/pprofBomb';

const CAP = 64 * 1024 * 1024;

/** Data from random to highly repetitive, as profiles (string tables, packed ids) tend to be. */
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 5000 }),
  fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 300 }).map((parts) => {
    const out: number[] = [];
    for (const p of parts) for (let r = 0; r < 1 + (p[0]! % 20); r++) out.push(...p);
    return Uint8Array.from(out);
  }),
  fc.integer({ min: 0, max: 300_000 }).map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 31) % 7)),
);

describe('gunzip (zlib)', () => {
  it('the tests\' CRC-32 (for hand-made gzip bombs) is zlib\'s', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
    const data = Buffer.from('a gzip trailer carries the CRC-32 of the data');
    assert.equal(crc32(data), gzipSync(data).readUInt32LE(gzipSync(data).length - 8));
  });

  it('decompresses what zlib compresses, at every level and strategy, sizing its output from the trailer', () => {
    const strategies = [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE, constants.Z_FILTERED];
    fc.assert(
      fc.property(payload, fc.integer({ min: 0, max: 9 }), fc.constantFrom(...strategies), (data, level, strategy) => {
        const compressed = gzipSync(data, { level, strategy });
        assert.deepEqual(Buffer.from(gunzipWithZlib(compressed, CAP)), Buffer.from(data));
      }),
      { numRuns: 400 },
    );
  });

  it('joins the members of a multi-member file, and skips optional header fields', () => {
    const a = Buffer.from('first member ');
    const b = Buffer.from('second member');
    assert.equal(Buffer.from(gunzipWithZlib(Buffer.concat([gzipSync(a), gzipSync(b)]), CAP)).toString(), 'first member second member');
    // FEXTRA, FNAME, FCOMMENT and FHCRC set by hand on a zlib member.
    const plain = gzipSync(a);
    const header = Buffer.from([0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3, 3, 0, 1, 2, 3, ...Buffer.from('name\0comment\0')]);
    const crc = crc32(header) & 0xffff;
    const withFields = Buffer.concat([header, Buffer.from([crc & 0xff, crc >> 8]), plain.subarray(10)]);
    assert.equal(Buffer.from(gunzipWithZlib(withFields, CAP)).toString(), 'first member ');
  });

  it('refuses output beyond the cap, and says so', () => {
    const big = gzipSync(Buffer.alloc(2 * 1024 * 1024));
    assert.throws(() => gunzipWithZlib(big, 1024 * 1024), (e: unknown) => e instanceof ProfileError && e.code === 'too-large' && /1 MiB/.test(e.message));
  });

  it('says which check failed on a damaged file', () => {
    const gz = gzipSync(Buffer.from('hello world, hello world'));
    const badCrc = Buffer.from(gz);
    badCrc[badCrc.length - 6]! ^= 0xff;
    assert.throws(() => gunzipWithZlib(badCrc, CAP), (e: unknown) => e instanceof ProfileError && e.code === 'corrupt-gzip' && /CRC-32 checksum/.test(e.message));
    const badLength = Buffer.from(gz);
    badLength[badLength.length - 2]! ^= 0xff;
    assert.throws(() => gunzipWithZlib(badLength, CAP), (e: unknown) => e instanceof ProfileError && e.code === 'corrupt-gzip' && /length does not match/.test(e.message));
  });

  it('ends every damaged stream with a ProfileError, quickly', () => {
    fc.assert(
      fc.property(payload, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.option(fc.nat()), (data, damage, cut) => {
        const bytes = Uint8Array.from(gzipSync(data));
        for (const [at, value] of damage) bytes[10 + (at % Math.max(1, bytes.length - 10))] = value;
        const input = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
        const started = performance.now();
        try {
          gunzipWithZlib(input, CAP);
        } catch (error) {
          assert.ok(error instanceof ProfileError, String(error));
          assert.ok(['corrupt-gzip', 'truncated', 'too-large'].includes(error.code));
        }
        assert.ok(performance.now() - started < 2000);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('gunzipPrefix: the start of a longer gzip file', () => {
  it('is what the whole file decompresses to, cut at the bound or where the head ends', async () => {
    await fc.assert(
      fc.asyncProperty(payload, fc.nat(), fc.integer({ min: 1, max: 100_000 }), async (data, cut, keep) => {
        const gz = gzipSync(data);
        const head = gz.subarray(0, 10 + (cut % (gz.length - 9)));
        const prefix = await gunzipPrefix(head, keep);
        assert.ok(prefix.length <= keep);
        assert.deepEqual(Buffer.from(prefix), Buffer.from(data).subarray(0, prefix.length));
        if (head.length === gz.length) assert.equal(prefix.length, Math.min(keep, data.length));
      }),
      { numRuns: 300 },
    );
  });

  it('ends damage with a ProfileError', async () => {
    const head = Buffer.from(gzipSync(Buffer.from('a profile would be here')).subarray(0, 15));
    head[3] = 0xe0;
    await assert.rejects(gunzipPrefix(head, 1024), (e: unknown) => e instanceof ProfileError && e.code === 'corrupt-gzip');
  });
});
