// Profiled functions are found in the document by their runtime names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declarationsOf, findDeclaration, parseGoFunctionName } from '../../server/src/profiles/functionLocator';
import { parseGo } from '../helpers/analyze';

test('runtime function names are split into package, receiver, name and closure', () => {
  assert.deepEqual(parseGoFunctionName('example.com/shop/tracing.(*Tracer).Start'), { packagePath: 'example.com/shop/tracing', receiver: 'Tracer', name: 'Start', closure: false });
  assert.deepEqual(parseGoFunctionName('main.applyDiscounts'), { packagePath: 'main', receiver: undefined, name: 'applyDiscounts', closure: false });
  assert.deepEqual(parseGoFunctionName('main.priceBasket.func1.2'), { packagePath: 'main', receiver: undefined, name: 'priceBasket', closure: true });
  assert.deepEqual(parseGoFunctionName('gopkg.in/yaml%2ev3.(*parser).parse'), { packagePath: 'gopkg.in/yaml%2ev3', receiver: 'parser', name: 'parse', closure: false });
  assert.deepEqual(parseGoFunctionName('main.Map[...]'), { packagePath: 'main', receiver: undefined, name: 'Map', closure: false });
  assert.deepEqual(parseGoFunctionName('main.(*List[...]).Push'), { packagePath: 'main', receiver: 'List', name: 'Push', closure: false });
  assert.deepEqual(parseGoFunctionName('net/http.(*conn).serve-fm'), { packagePath: 'net/http', receiver: 'conn', name: 'serve', closure: false });
  assert.equal(parseGoFunctionName('[unknown]'), undefined);
  assert.equal(parseGoFunctionName('<unknown>'), undefined);
});

test('declarations are found by name and receiver, on their func line', async () => {
  const source = `package main

// doc comment
func applyDiscounts(p float64) float64 { return p }

func (o *orders) create() {}

func (g gateway) create() {}

func (l *List[T]) Push(v T) {}
`;
  const tree = await parseGo(source);
  const decls = declarationsOf(tree, source);
  tree.delete();
  assert.equal(findDeclaration(decls, parseGoFunctionName('main.applyDiscounts')!)?.line, 3);
  assert.equal(findDeclaration(decls, parseGoFunctionName('main.(*orders).create')!)?.line, 5);
  assert.equal(findDeclaration(decls, parseGoFunctionName('main.gateway.create')!)?.line, 7, 'a value receiver is printed without parentheses');
  assert.deepEqual(parseGoFunctionName('main.gateway.create.func2'), { packagePath: 'main', receiver: 'gateway', name: 'create', closure: true });
  assert.equal(findDeclaration(decls, parseGoFunctionName('main.(*List[...]).Push')!)?.line, 9);
});
