// Facts about one Go file that every rule needs: its text, syntax tree root and import table.

import type { SyntaxNode } from './goParser';
import { ImportTable } from './imports';
import { textOf } from './syntax';

export const CONTEXT_PKG = 'context';
export const HTTP_PKG = 'net/http';

export class GoFile {
  readonly imports: ImportTable;

  constructor(
    readonly source: string,
    readonly root: SyntaxNode,
  ) {
    this.imports = ImportTable.fromSource(root, source);
  }

  text(node: SyntaxNode): string {
    return textOf(this.source, node);
  }

  /** True when `typeNode` spells `Name` from package `importPath` (qualified, or dot-imported). */
  isPackageType(typeNode: SyntaxNode, importPath: string, name: string): boolean {
    if (typeNode.type === 'qualified_type') {
      const pkg = typeNode.childForFieldName('package');
      const typeName = typeNode.childForFieldName('name');
      return !!pkg && !!typeName && this.text(typeName) === name && this.imports.refersTo(this.text(pkg), importPath);
    }
    if (typeNode.type === 'type_identifier') {
      return this.text(typeNode) === name && this.imports.isDotImported(importPath);
    }
    return false;
  }

  /** True when `callee` (a call's function) is `pkg.Member` for one of `members`, or a dot-imported member. */
  isPackageFunction(callee: SyntaxNode, importPath: string, members: ReadonlySet<string>): boolean {
    if (callee.type === 'selector_expression') {
      const operand = callee.childForFieldName('operand');
      const field = callee.childForFieldName('field');
      return (
        !!operand && !!field && operand.type === 'identifier' &&
        members.has(this.text(field)) && this.imports.refersTo(this.text(operand), importPath)
      );
    }
    if (callee.type === 'identifier') {
      return members.has(this.text(callee)) && this.imports.isDotImported(importPath);
    }
    return false;
  }
}
