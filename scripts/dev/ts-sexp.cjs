#!/usr/bin/env node
// Developer aid: prints the tree-sitter syntax tree of a Go file, to see node types and field names
// while writing analyzer rules.  Usage: node scripts/dev/ts-sexp.cjs FILE.go
const fs = require('node:fs');
const { Parser, Language } = require('web-tree-sitter');
(async () => {
  await Parser.init();
  const go = await Language.load(require.resolve('tree-sitter-go/tree-sitter-go.wasm'));
  const parser = new Parser();
  parser.setLanguage(go);
  console.log(parser.parse(fs.readFileSync(process.argv[2], 'utf8')).rootNode.toString());
})();
