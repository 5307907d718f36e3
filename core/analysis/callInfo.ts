// The parts of a call expression every rule looks at (callee, selector operand and field, the called name,
// the arguments), read from the tree once per call and shared by all the rules that visit it: asking the
// wasm side for the same child nodes ten times over was the analyzer's largest cost.

import type { SyntaxNode } from './syntaxTree';
import type { GoFile } from './goFile';
import { namedChildren } from './syntax';

export class CallInfo {
  /** The callee: `load`, `db.Query`, `otel.Tracer("x").Start`… */
  readonly callee: SyntaxNode | null;
  readonly calleeType: string;
  /** For a selector callee: its operand and field. */
  readonly operand: SyntaxNode | null;
  readonly field: SyntaxNode | null;
  /** The called name: the field of a selector, or the identifier. '' for other callees. */
  readonly name: string;
  /** The operand's text when it is an identifier (`db` in db.Query). */
  readonly operandName: string | undefined;
  private argumentList: SyntaxNode | null | undefined;
  private argumentNodes: SyntaxNode[] | undefined;

  constructor(
    readonly file: GoFile,
    readonly node: SyntaxNode,
  ) {
    const callee = node.childForFieldName('function');
    this.callee = callee;
    this.calleeType = callee ? callee.type : '';
    if (this.calleeType === 'selector_expression') {
      this.operand = callee!.childForFieldName('operand');
      this.field = callee!.childForFieldName('field');
      this.name = this.field ? file.text(this.field) : '';
      this.operandName = this.operand && this.operand.type === 'identifier' ? file.text(this.operand) : undefined;
    } else {
      this.operand = null;
      this.field = null;
      this.name = this.calleeType === 'identifier' ? file.text(callee!) : '';
      this.operandName = undefined;
    }
  }

  get argumentListNode(): SyntaxNode | null {
    if (this.argumentList === undefined) this.argumentList = this.node.childForFieldName('arguments');
    return this.argumentList;
  }

  get args(): SyntaxNode[] {
    if (!this.argumentNodes) {
      const list = this.argumentListNode;
      this.argumentNodes = list ? namedChildren(list) : [];
    }
    return this.argumentNodes;
  }

  /** The import path the operand names (`net/http` for http.Get), when it is a package. */
  get operandPackage(): string | undefined {
    return this.operandName === undefined ? undefined : this.file.packageOfOperand(this.operand);
  }
}

let last: CallInfo | undefined;

/** The CallInfo of a call node (the same object for consecutive requests about the same node). */
export function callInfo(file: GoFile, node: SyntaxNode): CallInfo {
  if (last && last.file === file && last.node.id === node.id && last.node.startIndex === node.startIndex) return last;
  last = new CallInfo(file, node);
  return last;
}
