// The foundation's scenario: a broken goroutine context is flagged in the editor and in the Problems
// panel, and the quick fix repairs it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'goroutine-background diagnostic, Problems panel and quick fix';

const MESSAGE = 'This goroutine starts from context.Background()';

export async function run({ workbench, page, workspace }) {
  await workbench.openFile('orders.go');

  // The entry in the Problems panel, with the rule and source.
  await workbench.openProblems();
  const row = workbench.problemRows(MESSAGE).first();
  await row.waitFor({ timeout: 60000 });
  const rowText = await row.innerText();
  assert.match(rowText, /go-trace-lens/);
  assert.match(rowText, /goroutine-background/);
  // The audit goroutine outlives the request: keep the span's trace (ctx, after tracing.Extract and Start),
  // not the request's cancellation, and never r.Context(), which has neither the remote parent nor the span.
  assert.match(rowText, /use context\.WithoutCancel\(ctx\), ctx being the context of the span started on line 36/);

  // Selecting it reveals the squiggle in the editor, on the root context of the `go` statement.
  await row.click();
  const squiggle = page.locator('.monaco-editor .squiggly-warning').first();
  await squiggle.waitFor();
  await workbench.screenshot('context-diagnostic');

  // Hovering the squiggle shows the message and the rule, linked to its documentation.
  const box = await squiggle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator('.monaco-hover', { hasText: MESSAGE }).first();
  await hover.waitFor();
  assert.match(await hover.innerText(), /goroutine-background/);
  assert.ok((await hover.locator('a', { hasText: 'goroutine-background' }).count()) > 0, 'the rule id links to its documentation');
  await workbench.screenshot('context-diagnostic-hover');
  await page.mouse.move(0, 0);

  // The quick fix, with the cursor in the squiggle (Ctrl+.): the preferred fix is the one the message names.
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await workbench.applyQuickFix('Use context.WithoutCancel(ctx)');
  await workbench.save();
  const saved = readFileSync(join(workspace, 'orders.go'), 'utf8');
  assert.ok(saved.includes('go o.audit(context.WithoutCancel(ctx), sku, qty)'), 'the goroutine now keeps the span\'s trace');
  assert.doesNotMatch(saved, /go o\.audit\(context\.Background\(\)/);

  // The diagnostic is gone from the Problems panel.
  await workbench.problemRows(MESSAGE).first().waitFor({ state: 'detached' });
  await workbench.screenshot('context-diagnostic-fixed');
}
