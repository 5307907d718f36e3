// Facts about one Go file that every rule needs: its text, syntax tree root, import table and the facts of
// its package-level declarations. The facts are collected by `readGoFile` (fileFacts.ts), not here:
// collecting them reads value kinds and value flow, which are helpers over a GoFile themselves.

import type { SyntaxNode } from './syntaxTree';
import { ImportTable } from './imports';
import { textOf } from './syntax';
import type { ValueKind } from './valueKinds';

export { CONTEXT_PKG, HTTP_PKG } from './goPackages';

export interface FileFacts {
  /** Struct field name → kind, from the struct types declared in this file. */
  readonly fieldKinds: Map<string, ValueKind>;
  /** Package-level variable → kind. */
  readonly packageVarKinds: Map<string, ValueKind>;
  /** Struct type name → the field that holds a context or span. */
  readonly contextCarriers: Map<string, string>;
  /**
   * Names of the functions and methods of this file that ignore their context (`ctx` declared `_` or left
   * unnamed): handing them a context starts nothing under it.
   */
  readonly contextIgnorers: Set<string>;
  /** `Struct.field` → the field's type as written (`*store.Redis`), for the struct types of this file. */
  readonly fieldTypes: Map<string, string>;
  /**
   * Functions of this file that return an OpenTelemetry sampler deciding on its own (`return
   * sdktrace.TraceIDRatioBased(r)`) → that expression: where a caller installs what they return is the question.
   */
  readonly samplerReturners: Map<string, string>;
  /**
   * OpenTelemetry samplers this file writes that decide without the parent (rules/customSamplers.ts): the type,
   * and the functions building one → the type and how it decides.
   */
  readonly customSamplers: Map<string, string>;
  /**
   * Functions and methods (`Type.method`) of this file that start a span from their context and return only the
   * span (rules/spanOnlyHelpers.ts) → where the context and the span are among the arguments and results.
   */
  readonly spanOnlyHelpers: Map<string, string>;
}

function emptyFileFacts(): FileFacts {
  return {
    fieldKinds: new Map(), packageVarKinds: new Map(), contextCarriers: new Map(), contextIgnorers: new Set(), fieldTypes: new Map(),
    samplerReturners: new Map(), customSamplers: new Map(), spanOnlyHelpers: new Map(),
  };
}

/** A string that changes whenever facts or imports that rules read change (a cache key for per-declaration results). */
function factsFingerprint(facts: FileFacts, importsKey: string): string {
  const entries = (m: Map<string, string>) => [...m].sort().map(([k, v]) => `${k}=${v}`).join(',');
  return `${importsKey}|${entries(facts.fieldKinds)}|${entries(facts.packageVarKinds)}|${entries(facts.contextCarriers)}|${[...facts.contextIgnorers].sort().join(',')}|${entries(facts.fieldTypes)}|${entries(facts.samplerReturners)}|${entries(facts.customSamplers)}|${entries(facts.spanOnlyHelpers)}`;
}

export class GoFile {
  readonly imports: ImportTable;
  /** Empty until `readGoFile` collects them. */
  readonly facts: FileFacts = emptyFileFacts();
  /** The top-level declarations (and comments) of the file, in order. */
  readonly topLevel: readonly SyntaxNode[];

  constructor(
    readonly source: string,
    readonly root: SyntaxNode,
    /** A `_test.go` file: tests build their contexts from Background() on purpose. */
    readonly testFile = false,
  ) {
    // One call across the wasm boundary for all of them (namedChild(i) would be one per declaration).
    this.topLevel = root.namedChildren.filter((c): c is SyntaxNode => c !== null);
    this.imports = ImportTable.fromDeclarations(this.topLevel, source);
  }

  /** The package's name (`main` for a command), '' before the package clause is written. */
  get packageName(): string {
    const clause = this.topLevel.find((n) => n.type === 'package_clause');
    const name = clause?.namedChild(0);
    return name ? this.text(name) : '';
  }

  /** Changes whenever the package name, the imports or the package-level facts the rules read change. */
  fingerprint(): string {
    return `${this.testFile ? 'test' : ''}\u0000${this.packageName}\u0000${factsFingerprint(this.facts, this.imports.key())}`;
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

  /** The import path a selector's operand names (`http` in http.Get), or undefined when it is no package. */
  packageOfOperand(operand: SyntaxNode | null): string | undefined {
    if (!operand || operand.type !== 'identifier') return undefined;
    return this.imports.pathOf(this.text(operand));
  }
}
