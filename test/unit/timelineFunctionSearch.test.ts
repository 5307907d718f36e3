// Span names to workspace functions (goTraceLens/findFunctions): the ranking on the example shop's real
// functions (the shop's span names are "gateway.checkout", "orders.create", "inventory./stock"), Go's
// qualified names, HTTP-route-like names, and the search over files on disk: a changed file is read
// again, a deleted one is forgotten, an open document's text wins over the disk.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeGoSource } from '../../core/analysis/workspace/goSummary';
import { FunctionSearch, nameTokens, rankFunctions, type FunctionCandidate } from '../../server/src/features/functionSearch';
import { REPO_ROOT } from '../helpers/goToolchain';

const SHOP = join(REPO_ROOT, 'examples', 'shop');

function shopCandidates(dir = SHOP): FunctionCandidate[] {
  const out: FunctionCandidate[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.go'))) {
    const summary = summarizeGoSource(readFileSync(join(dir, name), 'utf8'));
    for (const fn of summary.functions) out.push({ name: fn.name, packageName: summary.packageName, path: join(dir, name), line: fn.line });
  }
  return out;
}

/** The 1-based line of the first line of `file` starting with `prefix`. */
function lineOf(file: string, prefix: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith(prefix)) + 1;
}

test('the shop\'s span names find the methods that record them', () => {
  const candidates = shopCandidates();
  const best = (query: string) => rankFunctions(query, candidates)[0];
  const checkout = best('gateway.checkout')!;
  assert.deepEqual([checkout.name, checkout.path, checkout.line, checkout.score], ['gateway.checkout', join(SHOP, 'gateway.go'), lineOf(join(SHOP, 'gateway.go'), 'func (g *gateway) checkout('), 100]);
  assert.equal(best('orders.create')!.line, lineOf(join(SHOP, 'orders.go'), 'func (o *orders) create('));
  const stock = best('inventory./stock')!;
  assert.equal(stock.name, 'inventory.stock');
  assert.equal(stock.score, 100, 'the route the span is named after reads as type and method');
  assert.equal(best('main.(*orders).receipt')!.score, 100, 'Go\'s qualified method names');
  assert.equal(best('main.formatLines')!.name, 'formatLines');
  assert.deepEqual([best('receipt')!.name, best('receipt')!.score], ['orders.receipt', 61], 'a method by its name alone');
  assert.deepEqual(rankFunctions('HTTP GET', candidates), [], 'nothing like it');
});

test('ranking prefers type or package and name over name alone, and name over partial matches', () => {
  const candidates: FunctionCandidate[] = [
    { name: 'Server.Checkout', packageName: 'api', path: '/w/api/server.go', line: 10 },
    { name: 'Checkout', packageName: 'billing', path: '/w/billing/billing.go', line: 4 },
    { name: 'checkoutHandler', packageName: 'api', path: '/w/api/handlers.go', line: 20 },
    { name: 'Checkout', packageName: 'billing', path: '/w/billing/billing_test.go', line: 8 },
    { name: 'Cart.Add', packageName: 'cart', path: '/w/cart/cart.go', line: 2 },
  ];
  const ranked = rankFunctions('Server.Checkout', candidates);
  assert.deepEqual(ranked.map((m) => [m.name, m.path, m.score]), [
    ['Server.Checkout', '/w/api/server.go', 100],
    ['Checkout', '/w/billing/billing.go', 61],
    ['Checkout', '/w/billing/billing_test.go', 56],
    ['checkoutHandler', '/w/api/handlers.go', 30],
  ]);
  assert.equal(rankFunctions('billing.Checkout', candidates)[0]!.reason, 'function Checkout of package billing: same name');
  assert.equal(rankFunctions('github.com/acme/shop/billing.Checkout', candidates)[0]!.path, '/w/billing/billing.go', 'an import path\'s last element is the package');
  assert.deepEqual(rankFunctions('checkout handler', candidates).map((m) => m.name)[0], 'checkoutHandler', 'the words of a name glued together');
  assert.equal(rankFunctions('Server.Checkout', candidates, 2).length, 2, 'the limit holds');
  assert.deepEqual(nameTokens('GET /api/orders/{id}'), ['GET', 'api', 'orders', 'id']);
  assert.deepEqual(rankFunctions('  ', candidates), []);
});

test('the search reads files on disk, re-reads changed ones, forgets deleted ones, and prefers open text', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtl-functions-'));
  try {
    cpSync(SHOP, dir, { recursive: true, filter: (src) => !src.includes('.pprof') });
    const files = () => readdirSync(dir).filter((f) => f.endsWith('.go')).map((f) => join(dir, f));
    const open = new Map<string, string>();
    let indexing = true;
    const search = new FunctionSearch({ paths: files, openText: (file) => open.get(file), indexing: () => indexing });
    let result = await search.search({ name: 'gateway.checkout' });
    assert.equal(result.indexing, true);
    assert.equal(result.matches[0]!.path, join(dir, 'gateway.go'));

    // A new method in gateway.go, written to disk (a later modification time).
    const gateway = join(dir, 'gateway.go');
    writeFileSync(gateway, readFileSync(gateway, 'utf8') + '\nfunc (g *gateway) refund() {}\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(gateway, later, later);
    indexing = false;
    result = await search.search({ name: 'gateway.refund' });
    assert.equal(result.indexing, false);
    assert.equal(result.matches[0]!.line, readFileSync(gateway, 'utf8').split('\n').length - 1);

    // The editor's text of an open file wins over the disk.
    open.set(join(dir, 'orders.go'), 'package main\n\nfunc (o *orders) cancel() {}\n');
    assert.equal((await search.search({ name: 'orders.cancel' })).matches[0]!.line, 3);
    assert.equal((await search.search({ name: 'orders.create' })).matches[0]?.name === 'orders.create', false, 'the open text has no create');

    rmSync(join(dir, 'inventory.go'));
    assert.ok(!(await search.search({ name: 'inventory.stock' })).matches.some((m) => m.path.endsWith('inventory.go')), 'a deleted file is gone');
    assert.deepEqual((await search.search({ name: 42 as unknown as string })).matches, [], 'a malformed request finds nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
