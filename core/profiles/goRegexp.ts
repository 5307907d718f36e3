// Go regular expressions (RE2 syntax, what `go tool pprof -focus` takes) as JavaScript RegExps, so a filter
// typed for pprof means the same here. Handles leading flag groups `(?i)`, `(?s)`, `(?m)`, `\A`, `\z`,
// `\Q…\E`, `(?P<name>…)`, POSIX classes and `\pL`; refuses what RE2 does not have (look-around,
// back-references) and what JavaScript cannot express (scoped flag groups, `(?U)`).

import { ProfileError } from './profileError';

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Compiles a Go regexp; `what` names the option for the error ("focus", "ignore"). */
export function compileGoRegexp(pattern: string, what: string): RegExp {
  const fail = (detail: string): never => {
    throw new ProfileError('bad-filter', `the ${what} expression ${JSON.stringify(pattern)} ${detail}.`);
  };
  let flags = '';
  let source = pattern;
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    for (const f of leading[1]!) {
      if (f === 'U') fail('uses (?U), which has no JavaScript equivalent; write the lazy quantifiers (*?, +?) instead');
      if (!flags.includes(f)) flags += f;
    }
    source = source.slice(leading[0].length);
  }
  let out = '';
  let unicode = false;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) fail('ends with a lone backslash');
      if (next === 'Q') {
        const end = source.indexOf('\\E', i + 2);
        const literal = end === -1 ? source.slice(i + 2) : source.slice(i + 2, end);
        out += escapeLiteral(literal);
        i = end === -1 ? source.length : end + 1;
        continue;
      }
      if (!inClass && next === 'A') {
        out += '(?<![\\s\\S])';
        i++;
        continue;
      }
      if (!inClass && next === 'z') {
        out += '(?![\\s\\S])';
        i++;
        continue;
      }
      if (next === 'p' || next === 'P') {
        unicode = true;
        if (source[i + 2] === '{') {
          const end = source.indexOf('}', i + 3);
          if (end === -1) fail('has an unterminated \\p{…}');
          out += `\\${next}{${source.slice(i + 3, end)}}`;
          i = end;
        } else {
          out += `\\${next}{${source[i + 2] ?? ''}}`;
          i += 2;
        }
        continue;
      }
      if (/[1-9]/.test(next!)) fail('uses a back-reference, which Go regular expressions do not support');
      out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && source[i + 1] === ':') {
        const end = source.indexOf(':]', i + 2);
        if (end !== -1) {
          let name = source.slice(i + 2, end);
          const negated = name.startsWith('^');
          if (negated) name = name.slice(1);
          const ranges = POSIX_CLASSES[name];
          if (!ranges) fail(`uses an unknown character class [:${name}:]`);
          if (negated) fail('uses a negated POSIX class, which is not supported here');
          out += ranges;
          i = end + 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (source[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (rest.startsWith(':') || rest.startsWith('<') && !rest.startsWith('<=') && !rest.startsWith('<!')) {
        out += '(?';
        i++;
        continue;
      }
      if (/^[=!]|^<[=!]/.test(rest)) fail('uses look-around, which Go regular expressions do not support');
      fail('uses a flag group inside the expression; only a leading (?i), (?s) or (?m) is supported');
    }
    out += c;
  }
  if (inClass) fail('has an unterminated character class [');
  try {
    return new RegExp(out, flags + (unicode ? 'u' : ''));
  } catch (error) {
    return fail(`is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}
