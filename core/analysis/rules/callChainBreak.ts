// call-chain-break: a function with a context in scope calls a workspace function that takes no context and
// (directly, or through the context-less functions it calls) creates a root context. The chain is cut at that
// call: everything traced below it belongs to a new trace. The walk records such calls (call sites); the
// workspace index decides which of them end in a root context, and the finding's related information points
// at the `context.Background()` in the other file.

import { RULES } from '../../../common/rules';
import { renderLineRefs, type CallSite, type Finding } from '../findings';
import type { SyntaxNode } from '../syntaxTree';
import type { CallGraphView } from '../workspace/callGraph';
import type { Rule, RuleContext, RuleSetting } from '../rule';
import { rangeOf } from '../syntax';
import { callInfo } from '../callInfo';
import { functionRefOf } from '../functionRefs';
import { inLifetimeFunction, inTestCode } from './rootContexts';

export type { CallGraphView } from '../workspace/callGraph';

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const info = callInfo(context.file, node);
  const callee = info.callee;
  if (!callee) return;
  const ref = functionRefOf(context.file, context.scope, callee);
  if (!ref) return;
  const inherited = context.scope.inherited();
  if (!inherited) return;
  // Test code and a command's own context (package main): no request's trace is cut at this call.
  if (inTestCode(context.file, node) || (!inherited.fromRequest && context.file.packageName === 'main')) return;
  const lifetimeCaller = inLifetimeFunction(context.file, node, context.scope);
  context.reportCallSite({
    ...(lifetimeCaller ? { lifetimeCaller } : {}),
    callee: ref,
    range: rangeOf(callee),
    calleeText: context.file.text(callee),
    contextExpression: inherited.expression,
    contextOrigin: inherited.origin,
  });
}

export const callChainBreak: Rule = {
  id: 'call-chain-break',
  visitors: { call_expression: visitCall },
};

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function sameFile(a: string, b: string): boolean {
  return a.replace(/\\/g, '/') === b.replace(/\\/g, '/');
}

/** The call-chain-break findings among a file's call sites. */
export function resolveCallChainBreaks(
  callSites: readonly CallSite[], filePath: string, index: CallGraphView, setting?: RuleSetting,
): Finding[] {
  if (setting === 'off') return [];
  const severity = setting ?? RULES['call-chain-break'].defaultSeverity;
  const findings: Finding[] = [];
  for (const site of callSites) {
    const chain = index.rootChainFor(filePath, site.callee);
    if (!chain) continue;
    if (site.lifetimeCaller && !/\bTODO\(\)$/.test(chain.root.text)) continue;
    const where = `${baseName(chain.file)}:${chain.root.line + 1}`;
    const calleeName = site.callee.name;
    const path = chain.via.length > 0 || chain.creator !== (site.callee.kind === 'method' ? `${site.callee.receiverType}.${calleeName}` : calleeName)
      ? `, through ${[...chain.via, chain.creator].join(' → ')},`
      : '';
    // The twin called the way the site calls the helper: `a.GetCtx` for `a.Get`, `store.GetCtx` for `store.Get`.
    const twinCall = chain.twin ? site.calleeText.replace(/[^.]*$/, chain.twin.slice(chain.twin.lastIndexOf('.') + 1)) : '';
    const advice = chain.twin
      ? `Call ${twinCall}(${site.contextExpression}, …) instead, ${renderLineRefs(site.contextOrigin)}.`
      : `Give ${calleeName} a context.Context parameter and pass ${site.contextExpression}, ${renderLineRefs(site.contextOrigin)}.`;
    findings.push({
      rule: 'call-chain-break',
      severity,
      range: site.range,
      message:
        `${site.calleeText} takes no context and${path} creates a root context with ${chain.root.text} (${where}): ` +
        `everything it traces starts a new trace, cut off from ${site.contextExpression}, and it is not cancelled with it. ` +
        advice,
      fixes: [],
      related: [{
        ...(sameFile(chain.file, filePath) ? {} : { file: chain.file }),
        range: {
          start: { line: chain.root.line, character: chain.root.character },
          end: { line: chain.root.line, character: chain.root.endCharacter },
        },
        message: `The root context is created here, in ${chain.creator}.`,
      }],
    });
  }
  return findings;
}
