// What the analyzer reports: findings with ranges, fixes and related locations. Positions are 0-based
// lines and UTF-16 columns (LSP's convention, and what web-tree-sitter reports for JavaScript strings).

import type { RuleId, Severity } from '../../../common/rules';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  /** Edits within the analysed file. */
  readonly edits: readonly TextEdit[];
}

export interface RelatedLocation {
  /** Absolute path of the file, or undefined for the analysed file itself. */
  readonly file?: string;
  readonly range: Range;
  readonly message: string;
}

export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly range: Range;
  readonly message: string;
  readonly fixes: readonly Fix[];
  readonly related: readonly RelatedLocation[];
}
