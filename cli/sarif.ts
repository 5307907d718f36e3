// SARIF 2.1.0 output of `check`, in the shape GitHub code scanning accepts: one run whose tool.driver lists
// every rule (with help links and descriptions), results with rule ids, levels, locations relative to the
// working directory (%SRCROOT%), 1-based regions in UTF-16 columns, related locations and partial
// fingerprints that survive lines moving.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, RULE_IDS, ruleHelpUri, type RuleId, type Severity } from '../common/rules';
import type { Range } from '../core/analysis';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

export interface SarifFinding {
  /** Absolute path of the file. */
  readonly file: string;
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly range: Range;
  readonly message: string;
  readonly related: readonly { readonly file?: string; readonly range: Range; readonly message: string }[];
  /** Rule + line-content hash; the occurrence number is added here. */
  readonly lineHash: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** A URI reference for a path: relative to `cwd` (with %SRCROOT%) when below it, else an absolute file URI. */
export function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(cwd, file);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(file).href };
}

function region(range: Range) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

export function sarifLog(findings: readonly SarifFinding[], cwd: string, version: string): object {
  const ruleIndex = new Map<RuleId, number>(RULE_IDS.map((id, i) => [id, i]));
  const occurrences = new Map<string, number>();
  const results = findings.map((f) => {
    const key = `${f.file}\u0000${f.lineHash}`;
    const n = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, n);
    return {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.file, cwd), region: region(f.range) } }],
      ...(f.related.length > 0 ? {
        relatedLocations: f.related.map((r, id) => ({
          id,
          message: { text: r.message },
          physicalLocation: { artifactLocation: artifactLocation(r.file ?? f.file, cwd), region: region(r.range) },
        })),
      } : {}),
      partialFingerprints: { 'goTraceLens/lineHash/v1': `${f.lineHash}:${n}` },
    };
  });
  const rootUri = pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'go-trace-lens',
          informationUri: ruleHelpUri('goroutine-background').replace(/\/docs\/rules\/.*$/, ''),
          semanticVersion: version,
          version,
          rules: RULE_IDS.map((id) => ({
            id,
            name: id.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''),
            shortDescription: { text: RULES[id].title },
            fullDescription: { text: RULES[id].description },
            helpUri: ruleHelpUri(id),
            help: { text: `${RULES[id].description} See ${ruleHelpUri(id)}`, markdown: `${RULES[id].description}\n\n[Documentation](${ruleHelpUri(id)})` },
            defaultConfiguration: { level: LEVEL[RULES[id].defaultSeverity] },
            properties: { tags: ['tracing', 'context', 'go'], precision: 'high' },
          })),
        },
      },
      originalUriBaseIds: { [SRCROOT]: { uri: rootUri } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}
