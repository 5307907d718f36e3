// The Go analysis core's face: Go source (tree-sitter trees) and the workspace index in, findings with
// fixes out. Plain TypeScript: no vscode, no DOM, no Node. The language server and the CLI use it.

export { analyzeGoFile, analyzeGoFileDetailed } from './analyzer';
export type { AnalyzeOptions } from './analyzer';
export { DeclarationCache } from './declarationCache';
export type { RuleSetting } from './rule';
export type { CallSite, Finding, Fix, Range } from './findings';
export { hasRelevantImport } from './goPackages';
export { resolveCallChainBreaks } from './rules/callChainBreak';
export { withoutIgnoredContextUses } from './rules/spanContextDiscarded';
export { resolveProgramFindings } from './rules/propagation';
export { skipReason } from './skipReason';
export type { Edit, Point, SyntaxNode, Tree } from './syntaxTree';
export { CallGraphIndex, parseModulePath } from './workspace/callGraph';
export { summarizeGoSource } from './workspace/goSummary';
export type { FileSummary } from './workspace/goSummary';
