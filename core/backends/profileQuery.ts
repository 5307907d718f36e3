// The two halves of a profile query both Pyroscope and Parca take: a label selector in Prometheus syntax
// (`{service_name="checkout", region=~"eu-.*"}`) and a profile type
// (`<name>:<sample type>:<sample unit>:<period type>:<period unit>`, Parca adding `:delta`). Selectors are
// checked here so that a typo gets a message pointing at it rather than the backend's parse error; a short
// type such as `cpu` or `inuse_space` is resolved against the types the backend lists.

import { BackendError } from './backendError';

export interface LabelMatcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export interface ProfileTypeInfo {
  /** What the backend's query takes: `process_cpu:cpu:nanoseconds:cpu:nanoseconds`. */
  readonly id: string;
  readonly name: string;
  readonly sampleType: string;
  readonly sampleUnit: string;
  readonly periodType: string;
  readonly periodUnit: string;
  /** Parca: the type is a delta profile (its ID ends in `:delta`). */
  readonly delta?: boolean;
}

function selectorError(selector: string, why: string): BackendError {
  return new BackendError('bad-query', `The label selector ${JSON.stringify(selector.slice(0, 120))} cannot be used: ${why} Example: {service_name="checkout"} or {service_name="checkout", region=~"eu-.*"}.`);
}

/** Parses `{name="value", …}` (also `{}`); throws a `bad-query` BackendError naming the problem. */
export function parseSelector(selector: string): LabelMatcher[] {
  const text = selector.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) throw selectorError(selector, 'it must be enclosed in { and }.');
  const matchers: LabelMatcher[] = [];
  const body = text.slice(1, -1);
  const matcher = /\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let position = 0;
  while (position < body.length && body.slice(position).trim() !== '') {
    matcher.lastIndex = position;
    const match = matcher.exec(body);
    if (!match) {
      const rest = body.slice(position).trim();
      const hint = /^[A-Za-z_][A-Za-z0-9_.]*\s*(=~|!~|!=|=)\s*'/.test(rest) ? 'values take double quotes, not single quotes.' : /^[A-Za-z_][A-Za-z0-9_.]*\s*(=~|!~|!=|=)\s*[^"\s]/.test(rest) ? 'values must be in double quotes.' : `"${rest.slice(0, 30)}" is not name="value".`;
      throw selectorError(selector, hint);
    }
    let value: string;
    try {
      value = JSON.parse(`"${match[3]!}"`) as string;
    } catch {
      throw selectorError(selector, `the value of ${match[1]} has an escape sequence that is not valid.`);
    }
    matchers.push({ name: match[1]!, op: match[2] as LabelMatcher['op'], value });
    position = matcher.lastIndex;
    if (match[4] === ',' && body.slice(position).trim() === '') throw selectorError(selector, 'it ends with a comma.');
  }
  return matchers;
}

/** The selector text for matchers, as both backends take it. */
export function formatSelector(matchers: readonly LabelMatcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(', ')}}`;
}

/** The ProfileTypeInfo of a full type ID (5 parts, or 6 with `delta`), or undefined. */
export function parseProfileTypeId(id: string): ProfileTypeInfo | undefined {
  const parts = id.trim().split(':');
  if (parts.length !== 5 && !(parts.length === 6 && parts[5] === 'delta')) return undefined;
  if (parts[0] === '' || parts[1] === '') return undefined;
  const [name, sampleType, sampleUnit, periodType, periodUnit] = parts as [string, string, string, string, string];
  return { id: parts.join(':'), name, sampleType, sampleUnit, periodType, periodUnit, ...(parts.length === 6 ? { delta: true } : {}) };
}

/**
 * The type among `available` that `wanted` names: its full ID, `name:sampleType`, or a sample type
 * (`cpu`, `inuse_space`) that only one type has. Throws a `bad-query` BackendError listing the types.
 */
export function resolveProfileType(wanted: string, available: readonly ProfileTypeInfo[], backendTitle: string): ProfileTypeInfo {
  const text = wanted.trim();
  const exact = available.find((t) => t.id === text);
  if (exact) return exact;
  const matches = available.filter((t) => `${t.name}:${t.sampleType}` === text || t.sampleType === text || t.name === text);
  if (matches.length === 1) return matches[0]!;
  const list = available.length > 0 ? `It has: ${available.map((t) => t.id).join(', ')}.` : 'It lists no profile types for this time range: no profiles were received then.';
  if (matches.length > 1) throw new BackendError('bad-query', `"${text}" could be any of ${matches.map((t) => t.id).join(', ')} in ${backendTitle}; give the full type ID.`);
  throw new BackendError('bad-query', `${backendTitle} has no profile type "${text}". ${list}`);
}
