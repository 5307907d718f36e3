// Findings as LSP diagnostics (code = rule id, source "go-trace-lens", a link to the rule's page) and
// their fixes as code actions. A diagnostic carries its fixes in `data`, so a code action request needs
// no state from the analysis that produced it.

import {
  CodeAction, CodeActionKind, DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation,
} from 'vscode-languageserver';
import { pathToFileURL } from 'node:url';
import { DIAGNOSTIC_SOURCE } from '../../../common/ids';
import { isRuleId, type Severity } from '../../../common/rules';
import type { Finding, Fix } from '../../../core/analysis';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

interface DiagnosticData {
  readonly fixes: readonly Fix[];
}

export function toDiagnostic(uri: string, finding: Finding, docUrl: (rule: string) => string | undefined): Diagnostic {
  const href = docUrl(finding.rule);
  const related: DiagnosticRelatedInformation[] = finding.related.map((r) => ({
    location: { uri: r.file ? pathToFileURL(r.file).href : uri, range: r.range },
    message: r.message,
  }));
  const data: DiagnosticData = { fixes: finding.fixes };
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    ...(href ? { codeDescription: { href } } : {}),
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    ...(related.length ? { relatedInformation: related } : {}),
    data,
  };
}

/** Quick fixes for the diagnostics of a code action request; the first fix of each is preferred. */
export function codeActionsFor(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string' || !isRuleId(diagnostic.code)) continue;
    const fixes = (diagnostic.data as DiagnosticData | undefined)?.fixes ?? [];
    fixes.forEach((fix, index) => {
      const action = CodeAction.create(fix.title, { changes: { [uri]: [...fix.edits] } }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = index === 0;
      actions.push(action);
    });
  }
  return actions;
}
