// The shared Go test service builds with the installed toolchain and serves real /debug/pprof data.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGoProgram, requireGo, startGoService } from '../helpers/goToolchain';

test('the test service starts and serves the pprof index', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const service = await startGoService(buildGoProgram('service'), ['-busy=false']);
  try {
    const index = await (await fetch(`${service.url}/debug/pprof/`)).text();
    assert.match(index, /goroutine/);
    assert.match(index, /heap/);
  } finally {
    await service.stop();
  }
});
