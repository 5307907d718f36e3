// Capture file names (`<endpoint>-<kind>-<timestamp>.<ext>`) and the redaction of credentials.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  captureFileName,
  formatCaptureTimestamp,
  isPartialCaptureFile,
  parseCaptureFileName,
  partialFileName,
  sanitizeEndpointName,
} from '../../core/capture/captureFileName';
import { CAPTURE_KIND_IDS } from '../../core/capture/captureKinds';
import { listCaptures, previousCapture } from '../../core/capture/captureCatalog.node';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDACTED, Redactor, redactUrl } from '../../core/capture/redact';

test('file names: endpoint, kind, UTC timestamp, sequence and extension', () => {
  const time = new Date(Date.UTC(2025, 0, 31, 15, 45, 1, 789));
  assert.equal(formatCaptureTimestamp(time), '20250131T154501Z');
  assert.equal(captureFileName({ endpointName: 'localhost-6060', kind: 'cpu', time, sequence: 1, extension: 'pb.gz' }), 'localhost-6060-cpu-20250131T154501Z.pb.gz');
  assert.equal(captureFileName({ endpointName: 'shop api', kind: 'heap-delta', time, sequence: 3, extension: 'pb.gz' }), 'shop_api-heap-delta-20250131T154501Z-3.pb.gz');
  assert.equal(captureFileName({ endpointName: '::1-7000', kind: 'trace', time, sequence: 1, extension: 'trace' }), '1-7000-trace-20250131T154501Z.trace');
});

test('endpoint names are made safe for every file system', () => {
  assert.equal(sanitizeEndpointName('../../etc/passwd'), 'etc_passwd');
  assert.equal(sanitizeEndpointName('prod/eu-west (primary)'), 'prod_eu-west_primary');
  assert.equal(sanitizeEndpointName('Ünïcödé'), 'Unicode');
  assert.equal(sanitizeEndpointName('...'), 'endpoint');
  assert.equal(sanitizeEndpointName('x'.repeat(100)).length, 64);
});

test('parseCaptureFileName reads names back and ignores other files', () => {
  assert.deepEqual(parseCaptureFileName('svc-heap-delta-20250131T154501Z-2.pb.gz'), {
    endpointName: 'svc',
    kind: 'heap-delta',
    time: new Date(Date.UTC(2025, 0, 31, 15, 45, 1)),
    sequence: 2,
    extension: 'pb.gz',
  });
  assert.equal(parseCaptureFileName('svc-heap-20250131T154501Z.pb.gz')?.kind, 'heap');
  assert.equal(parseCaptureFileName('my-heap-svc-cpu-20250131T154501Z.pb')?.endpointName, 'my-heap-svc');
  for (const other of ['notes.txt', 'svc-heap.pb.gz', 'svc-nope-20250131T154501Z.pb.gz', 'svc-cpu-20251399T999999Z.pb.gz', '.svc-cpu-20250131T154501Z.pb.gz.abc.partial']) {
    assert.equal(parseCaptureFileName(other), undefined, other);
  }
});

test('fuzz: every generated file name parses back to its endpoint, kind, second and sequence', () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 0, maxLength: 80 }),
      fc.constantFrom(...CAPTURE_KIND_IDS),
      fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2199, 11, 31)), noInvalidDate: true }),
      fc.integer({ min: 1, max: 50 }),
      fc.constantFrom('pb.gz', 'pb', 'trace'),
      (endpoint, kind, time, sequence, extension) => {
        const name = captureFileName({ endpointName: endpoint, kind, time, sequence, extension });
        assert.match(name, /^[A-Za-z0-9._-]+$/);
        const parts = parseCaptureFileName(name);
        assert.ok(parts, name);
        assert.equal(parts.endpointName, sanitizeEndpointName(endpoint));
        assert.equal(parts.kind, kind);
        assert.equal(parts.time.getTime(), Math.floor(time.getTime() / 1000) * 1000);
        assert.equal(parts.sequence, sequence);
        assert.equal(parts.extension, extension);
      },
    ),
    { numRuns: 10000 },
  );
});

test('partial files are hidden, recognisable, and never parse as captures', () => {
  const partial = partialFileName('svc-cpu-20250131T154501Z.pb.gz', 'a1b2c3');
  assert.equal(partial, '.svc-cpu-20250131T154501Z.pb.gz.a1b2c3.partial');
  assert.equal(isPartialCaptureFile(partial), true);
  assert.equal(isPartialCaptureFile('svc-cpu-20250131T154501Z.pb.gz'), false);
  assert.equal(parseCaptureFileName(partial), undefined);
});

test('redaction: bearer tokens, basic credentials, cookies and API keys never survive in text', () => {
  const basic = Buffer.from('admin:pa55word').toString('base64');
  const redactor = Redactor.forHeaders({ Authorization: 'Bearer eyJhbGciOi.payload.sig', 'X-Api-Key': 'key-123456', Cookie: 'sid=abcdef; theme=dark', 'X-Trace': 'on' });
  const text = redactor.text('server said: Bearer eyJhbGciOi.payload.sig / eyJhbGciOi.payload.sig / key-123456 / sid=abcdef / on');
  assert.equal(text, `server said: ${REDACTED} / ${REDACTED} / ${REDACTED} / sid=${REDACTED} / on`);
  const basicRedactor = Redactor.forHeaders({ authorization: `Basic ${basic}` });
  assert.equal(basicRedactor.text(`got ${basic}, admin:pa55word, pa55word`), `got ${REDACTED}, ${REDACTED}, ${REDACTED}`);
  assert.equal(basicRedactor.headers({ authorization: `Basic ${basic}`, Accept: 'x' }), `authorization: ${REDACTED}, Accept: x`);
  assert.equal(redactor.text('url-encoded: eyJhbGciOi.payload.sig'), `url-encoded: ${REDACTED}`);
  assert.equal(new Redactor(['a b/c']).text('q=a%20b%2Fc'), `q=${REDACTED}`);
});

test('redaction: URLs lose their user info and sensitive query values', () => {
  assert.equal(redactUrl('http://user:pw@h:1/debug/pprof/heap'), `http://${REDACTED}@h:1/debug/pprof/heap`);
  assert.equal(redactUrl('https://h/debug/pprof?token=abc&tenant=a&api_key=zz'), `https://h/debug/pprof?token=${REDACTED}&tenant=a&api_key=${REDACTED}`);
  assert.equal(redactUrl('not a url user:pw@x'), 'not a url user:pw@x');
  assert.equal(redactUrl('weird://user:pw@'), `weird://${REDACTED}@`);
});

test('fuzz: a redacted text never contains a secret of 3+ characters', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 3, maxLength: 40 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (secret, before, after) => {
      const redactor = Redactor.forHeaders({ Authorization: `Bearer ${secret.trim() || 'xyz'}` });
      const token = secret.trim() || 'xyz';
      if (token.length < 3 || REDACTED.includes(token)) return;
      const out = redactor.text(`${before}${token}${after}`);
      assert.ok(!out.includes(token), `${JSON.stringify(token)} in ${JSON.stringify(out)}`);
    }),
    { numRuns: 10000 },
  );
});

test('the captures of a folder, newest first, and the previous capture of the same kind and endpoint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtl-catalog-'));
  try {
    const names = [
      'svc-heap-20250101T100000Z.pb.gz',
      'svc-heap-20250101T110000Z.pb.gz',
      'svc-heap-20250101T110000Z-2.pb.gz',
      'svc-cpu-20250101T120000Z.pb.gz',
      'other-heap-20250101T130000Z.pb.gz',
      'svc-trace-20250101T090000Z.trace',
      '.svc-heap-20250101T140000Z.pb.gz.0a1b2c.partial',
      'notes.md',
    ];
    for (const name of names) writeFileSync(join(dir, name), name);
    mkdirSync(join(dir, 'svc-heap-20250101T150000Z.pb.gz'));
    const captures = await listCaptures(dir);
    assert.deepEqual(captures.map((c) => c.fileName), [
      'other-heap-20250101T130000Z.pb.gz',
      'svc-cpu-20250101T120000Z.pb.gz',
      'svc-heap-20250101T110000Z-2.pb.gz',
      'svc-heap-20250101T110000Z.pb.gz',
      'svc-heap-20250101T100000Z.pb.gz',
      'svc-trace-20250101T090000Z.trace',
    ]);
    assert.equal(captures[2]!.bytes, 'svc-heap-20250101T110000Z-2.pb.gz'.length);
    const byName = (n: string) => captures.find((c) => c.fileName === n)!;
    assert.equal(previousCapture(captures, byName('svc-heap-20250101T110000Z-2.pb.gz'))?.fileName, 'svc-heap-20250101T110000Z.pb.gz');
    assert.equal(previousCapture(captures, byName('svc-heap-20250101T110000Z.pb.gz'))?.fileName, 'svc-heap-20250101T100000Z.pb.gz');
    assert.equal(previousCapture(captures, byName('svc-heap-20250101T100000Z.pb.gz')), undefined);
    assert.equal(previousCapture(captures, byName('other-heap-20250101T130000Z.pb.gz')), undefined);
    assert.deepEqual(await listCaptures(join(dir, 'missing')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
