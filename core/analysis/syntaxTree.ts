// The syntax tree's types (tree-sitter's), for code that reads trees without loading the parser.

export type { Node as SyntaxNode, Tree, Edit, Point } from 'web-tree-sitter';
