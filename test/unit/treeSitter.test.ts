// web-tree-sitter and tree-sitter-go load together (their versions are pinned as a pair) and parse Go.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGo } from '../helpers/analyze';

test('the Go grammar loads and parses a file without errors', async () => {
  const tree = await parseGo('package main\n\nfunc main() {\n\tgo func() {}()\n}\n');
  assert.equal(tree.rootNode.type, 'source_file');
  assert.equal(tree.rootNode.hasError, false);
  assert.equal(tree.rootNode.descendantsOfType('go_statement').length, 1);
  tree.delete();
});
