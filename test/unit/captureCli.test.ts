// `go-trace-lens capture`, run in-process through runCli: the path on stdout, the core's messages on
// stderr, exit codes, --out as a file or a folder, and credentials that never reach the output.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/main';
import type { CliIO } from '../../cli/io';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import { refusingPort, startHttpServer, startRedirectServer, type TestServer } from '../helpers/captureServers';
import { buildGoProgram, requireGo, startGoService, type RunningService } from '../helpers/goToolchain';

const TOKEN = 'cli-secret-9b7e41d2';
const scratch = mkdtempSync(join(tmpdir(), 'gtl-capture-cli-'));
let service: RunningService | undefined;
let skipReason: string | undefined;
const servers: TestServer[] = [];

before(async () => {
  if (!requireGo((why) => (skipReason = why))) return;
  service = await startGoService(buildGoProgram('service'), ['-busy=false']);
});

after(async () => {
  await service?.stop();
  await Promise.all(servers.map((s) => s.close()));
  rmSync(scratch, { recursive: true, force: true });
});

async function cli(argv: string[], cwd = scratch): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd, out: (text) => (out += text), err: (text) => (err += text) };
  const code = await runCli(argv, io);
  return { code, out, err };
}

test('capture KIND URL saves into .pprof/ of the working directory and prints the path', async (t) => {
  if (!service) return t.skip(skipReason);
  const cwd = join(scratch, 'default-folder');
  mkdirSync(cwd);
  const run = await cli(['capture', 'heap', `${service.url}/debug/pprof`], cwd);
  assert.equal(run.code, 0, run.err);
  const path = run.out.trim();
  assert.match(path, new RegExp(`^${cwd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\.pprof/127\\.0\\.0\\.1-\\d+-heap-\\d{8}T\\d{6}Z\\.pb\\.gz$`));
  assert.match(run.err, /^capturing heap…\nsaved heap profile, \d+ samples, [\d.]+ K?B, to /);
  assert.equal(decodeProfileBytes(readFileSync(path)).sampleTypes.length, 4);
});

test('--seconds, --header, --name and --out FILE / --out DIR/', async (t) => {
  if (!service) return t.skip(skipReason);
  const file = join(scratch, 'named', 'cpu.pb.gz');
  mkdirSync(join(scratch, 'named'));
  const cpu = await cli(['capture', 'cpu', '--seconds', '1', '--header', `Authorization: Bearer ${TOKEN}`, '--out', file, service.url]);
  assert.equal(cpu.code, 0, cpu.err);
  assert.equal(cpu.out, `${file}\n`);
  assert.match(cpu.err, /^capturing CPU for 1 s…\n/);
  assert.equal(decodeProfileBytes(readFileSync(file)).sampleTypes[1]?.type, 'cpu');

  const dir = join(scratch, 'into-dir');
  const trace = await cli(['capture', 'trace', '--seconds=1', '--name', 'checkout api', '--out', `${dir}/`, `${service.url}/debug/pprof`]);
  assert.equal(trace.code, 0, trace.err);
  assert.match(trace.out.trim(), /\/into-dir\/checkout_api-trace-\d{8}T\d{6}Z\.trace$/);
  assert.match(trace.err, /saved execution trace \(Go 1\.23\)/);
  assert.deepEqual(readdirSync(dir).length, 1);
});

test('--auth-env sends the Authorization header from the environment', async () => {
  const server = await startHttpServer((req, res) => {
    res.writeHead(req.headers.authorization === `Bearer ${TOKEN}` ? 403 : 401, { 'Content-Type': 'text/plain' });
    res.end('no\n');
  });
  servers.push(server);
  process.env.GTL_TEST_PPROF_AUTH = `Bearer ${TOKEN}`;
  try {
    const run = await cli(['capture', 'heap', '--auth-env', 'GTL_TEST_PPROF_AUTH', '--verbose', '--out', join(scratch, 'auth'), server.baseUrl]);
    assert.equal(run.code, 1);
    assert.match(run.err, /answered 403 Forbidden .*the credentials sent are not allowed to read profiles/);
    assert.match(run.err, /GET http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/heap \(headers: Authorization: \[redacted\]\)/);
    assert.ok(!run.err.includes(TOKEN) && !run.out.includes(TOKEN));
  } finally {
    delete process.env.GTL_TEST_PPROF_AUTH;
  }
  const unset = await cli(['capture', 'heap', '--auth-env', 'GTL_TEST_NOT_SET', server.baseUrl]);
  assert.equal(unset.code, 2);
  assert.match(unset.err, /the environment variable GTL_TEST_NOT_SET is not set/);
});

test('failures print the core\'s message, exit 1, and leave no file', async () => {
  const port = await refusingPort();
  const out = join(scratch, 'refused');
  const run = await cli(['capture', 'heap', '--header', `Authorization: Bearer ${TOKEN}`, '--verbose', '--out', `${out}/`, `http://127.0.0.1:${port}/debug/pprof`]);
  assert.equal(run.code, 1);
  assert.equal(run.out, '');
  assert.match(run.err, new RegExp(`go-trace-lens capture: Connection refused by 127\\.0\\.0\\.1:${port} .*net/http/pprof`));
  assert.ok(!run.err.includes(TOKEN), 'the token is never printed, even with --verbose');
  assert.deepEqual(existsSync(out) ? readdirSync(out) : [], []);

  const target = await startHttpServer((_req, res) => res.end('x'));
  const redirecting = await startRedirectServer((path) => `http://localhost:${target.port}${path}`);
  servers.push(target, redirecting);
  const redirect = await cli(['capture', 'heap', redirecting.baseUrl]);
  assert.equal(redirect.code, 1);
  assert.match(redirect.err, new RegExp(`on another host\\. .* On the command line: --allow-redirect http://localhost:${target.port}\\n$`));
});

test('usage errors exit 2 and say what to type', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['capture'], /no KIND given\. Kinds: cpu, heap, allocs/],
    [['capture', 'flame', 'http://h'], /unknown kind "flame"/],
    [['capture', 'heap'], /no URL given\. Example: go-trace-lens capture heap http:\/\/localhost:6060\/debug\/pprof/],
    [['capture', 'heap', 'ftp://h/debug/pprof'], /only http:\/\/ and https:\/\/ URLs are supported \(got ftp:\)/],
    [['capture', 'heap', 'localhost:6060'], /Did you mean http:\/\/localhost:6060\?/],
    [['capture', 'heap', '--seconds', '5', 'http://127.0.0.1:1'], /A heap profile is a snapshot and takes no duration\. For the change over 5 s, capture heap-delta\./],
    [['capture', 'cpu', '--seconds', '1.5', 'http://127.0.0.1:1'], /--seconds must be a whole number of seconds \(got "1\.5"\)/],
    [['capture', 'heap', '--header', 'NoColon', 'http://127.0.0.1:1'], /--header: A header must look like 'Name: value'/],
    [['capture', 'heap', '--bogus', 'http://127.0.0.1:1'], /unknown option --bogus/],
    [['capture', 'heap', 'http://a', 'http://b'], /unexpected argument "http:\/\/b"/],
  ];
  for (const [argv, message] of cases) {
    const run = await cli(argv);
    assert.equal(run.code, 2, `${argv.join(' ')}: ${run.err}`);
    assert.match(run.err, message, argv.join(' '));
  }
  const help = await cli(['capture', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /usage: go-trace-lens capture KIND \[--seconds N\] \[--header 'K: V'\]\.\.\. \[--out FILE\|DIR\] URL/);
  assert.match((await cli(['--help'])).out, /capture +capture a profile or execution trace/);
});
