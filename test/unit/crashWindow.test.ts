// The language server is restarted after a crash, but not in a loop.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrashWindow } from '../../client/src/crashWindow';

test('up to the limit within the window, each crash restarts; one more gives up with a message', () => {
  const window = new CrashWindow(3, 180_000);
  assert.equal(window.record(0).action, 'restart');
  assert.equal(window.record(1000).action, 'restart');
  assert.equal(window.record(2000).action, 'restart');
  const fourth = window.record(3000);
  assert.equal(fourth.action, 'give-up');
  assert.match(fourth.action === 'give-up' ? fourth.message : '', /stopped 4 times in 3 minutes and was not restarted again/);
});

test('crashes older than the window are forgotten, and a manual restart starts afresh', () => {
  const window = new CrashWindow(3, 180_000);
  for (let i = 0; i < 3; i++) window.record(i * 1000);
  assert.equal(window.record(200_000).action, 'restart', 'the first three are over three minutes old');
  for (let i = 0; i < 3; i++) window.record(201_000 + i);
  window.reset();
  assert.equal(window.record(202_000).action, 'restart');
});
