// The language server is restarted when it crashes, but not in a loop: after one crash the diagnostics
// keep coming; after too many in a short time the user is told, with a button that restarts it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

export const title = 'a crashed language server restarts; repeated crashes stop with a message and a Restart button';

/** The pids of this code-server's Go Trace Lens language server. */
function serverPids(extensionsDir) {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(extensionsDir) && line.includes('dist/server.js'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** Seconds a process has been running (from /proc), so a crash is not staged while it still starts. */
function ageSeconds(pid) {
  const fields = execFileSync('ps', ['-o', 'etimes=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  return Number(fields || 0);
}

/** Waits for a language server other than `notPid` that has been up for a couple of seconds. */
async function waitForServer(page, extensionsDir, notPid) {
  for (let i = 0; i < 240; i++) {
    const [pid] = serverPids(extensionsDir).filter((p) => p !== notPid);
    if (pid !== undefined && ageSeconds(pid) >= 2) return pid;
    await page.waitForTimeout(250);
  }
  throw new Error('no language server process came up');
}

export async function run({ workbench, page, server }) {
  await workbench.openFile('orders.go');
  await workbench.openProblems();
  await workbench.problemRows('This goroutine starts from context.Background()').first().waitFor({ timeout: 60000 });
  let pid = await waitForServer(page, server.extensionsDir);

  // One crash: a new server takes over and analyses what is typed afterwards.
  process.kill(pid, 'SIGKILL');
  pid = await waitForServer(page, server.extensionsDir, pid);
  await page.keyboard.press('Control+1');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nfunc extra(ctx context.Context) {\n\tgo audit(context.TODO())\n');
  await workbench.problemRows('This goroutine starts from context.TODO()').first().waitFor({ timeout: 60000 });

  // Three more crashes within three minutes: no more restarts, and the user is told.
  for (let i = 0; i < 3; i++) {
    process.kill(pid, 'SIGKILL');
    if (i < 2) pid = await waitForServer(page, server.extensionsDir, pid);
  }
  const toast = page.locator('.notification-toast', { hasText: 'stopped 4 times in 3 minutes and was not restarted again' }).first();
  await toast.waitFor({ timeout: 30000 });
  await page.waitForTimeout(1500);
  assert.deepEqual(serverPids(server.extensionsDir), [], 'no server was started again');
  await workbench.screenshot('server-gave-up');

  // The Restart button brings it back.
  await toast.locator('.monaco-button', { hasText: 'Restart' }).click();
  await waitForServer(page, server.extensionsDir, pid);
  await page.keyboard.press('Control+1');
  await page.keyboard.type('\tgo audit(context.Background())\n');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'This goroutine starts from context.Background()' }).nth(1).waitFor({ timeout: 60000 });
}
