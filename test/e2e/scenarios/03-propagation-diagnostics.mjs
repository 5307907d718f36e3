// Ghost requests at their source: the shop's OpenTelemetry neighbours (examples/shop/mesh) show the three
// propagation rules in the Problems panel, each judged over whole programs, and their quick fixes repair
// them; fixing one service clears the finding of the other service it could not talk to.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'propagation rules: propagator-not-set, client-not-instrumented, mixed-propagators';

const NOT_SET = 'The tracer provider set here serves cmd/checkout, which never sets a propagator';
const GRPC = "grpc.NewClient makes a gRPC connection without OpenTelemetry's client handler";
const HTTP = 'this http.Client has no transport of its own';
const LEDGER = 'This propagator reads and sends only B3';
const BILLING = 'This propagator reads and sends only W3C trace context';

/** Waits for the Problems panel row with `text`, and checks its rule. */
async function problem(workbench, text, rule) {
  const row = workbench.problemRows(text).first();
  await row.waitFor({ timeout: 60000 });
  assert.match(await row.innerText(), new RegExp(rule));
  return row;
}

/**
 * Applies the quick fix titled `fix` to the finding on the code line that matches `code` in the active
 * editor's file `path` (its only finding): a click on its squiggle puts the cursor there (not a click on
 * the Problems panel, whose rows move while other files' findings arrive), then Ctrl+. offers the fix.
 */
async function applyFix(workbench, page, workspace, path, code, fix) {
  const lines = readFileSync(join(workspace, ...path.split('/')), 'utf8').split('\n');
  const line = lines.findIndex((text) => code.test(text)) + 1;
  assert.ok(line > 0, `${path} has no line matching ${code}`);
  const squiggle = page.locator('.editor-instance .monaco-editor .squiggly-warning').first();
  await squiggle.waitFor();
  const box = await squiggle.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // Off the squiggle again, so its hover does not open over the quick-fix menu.
  await page.mouse.move(box.x + box.width / 2, box.y + 6 * box.height + 120);
  await page.locator('.statusbar-item[id="status.editor.selection"]', { hasText: `Ln ${line},` }).first().waitFor();
  await workbench.applyQuickFix(fix);
  await workbench.save();
}

/** Opens a file and keeps its editor (not a preview another file replaces): its diagnostics stay published. */
async function openAndKeep(workbench, path) {
  await workbench.openFile(path);
  await workbench.runCommand('View: Keep Editor');
}

export async function run({ workbench, page, workspace }) {
  await workbench.openProblems();
  await openAndKeep(workbench, 'mesh/telemetry/telemetry.go');
  await problem(workbench, NOT_SET, 'propagator-not-set');
  await openAndKeep(workbench, 'mesh/cmd/checkout/checkout.go');
  await problem(workbench, GRPC, 'client-not-instrumented');
  await problem(workbench, HTTP, 'client-not-instrumented');
  await openAndKeep(workbench, 'mesh/cmd/billing/billing.go');
  await problem(workbench, BILLING, 'mixed-propagators');
  await openAndKeep(workbench, 'mesh/cmd/ledger/ledger.go');
  await problem(workbench, LEDGER, 'mixed-propagators');
  await workbench.screenshot('propagation-diagnostics');

  // The ledger learns W3C trace context: both services now share a format, so the billing service's
  // finding (another file, another program) goes away as well.
  await applyFix(workbench, page, workspace, 'mesh/cmd/ledger/ledger.go', /^\totel\.SetTextMapPropagator\(/, 'Also read and send W3C trace context');
  const ledgerSource = readFileSync(join(workspace, 'mesh', 'cmd', 'ledger', 'ledger.go'), 'utf8');
  assert.match(ledgerSource, /^\totel\.SetTextMapPropagator\(propagation\.NewCompositeTextMapPropagator\(b3\.New\(\), propagation\.TraceContext\{\}\)\)$/m);
  assert.match(ledgerSource, /"go\.opentelemetry\.io\/otel\/propagation"/);
  await workbench.problemRows(LEDGER).first().waitFor({ state: 'detached' });
  await workbench.problemRows(BILLING).first().waitFor({ state: 'detached' });

  // The shared telemetry package installs the propagator the checkout service lacked.
  await workbench.openFile('mesh/telemetry/telemetry.go');
  await applyFix(workbench, page, workspace, 'mesh/telemetry/telemetry.go', /^\totel\.SetTracerProvider\(/, 'Install the W3C trace-context and baggage propagator');
  const telemetry = readFileSync(join(workspace, 'mesh', 'telemetry', 'telemetry.go'), 'utf8');
  assert.match(telemetry, /otel\.SetTracerProvider\(tp\)\n\totel\.SetTextMapPropagator\(propagation\.NewCompositeTextMapPropagator\(propagation\.TraceContext\{\}, propagation\.Baggage\{\}\)\)/);
  await workbench.problemRows(NOT_SET).first().waitFor({ state: 'detached' });
  // The checkout's clients are still uninstrumented: those findings stay.
  await problem(workbench, GRPC, 'client-not-instrumented');
  await workbench.screenshot('propagation-diagnostics-fixed');
}
