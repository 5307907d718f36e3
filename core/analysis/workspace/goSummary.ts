// Per-function summaries of a Go file for the workspace index: which functions take a context, which create a
// root context (context.Background()/TODO()), and whom they call. Read with a single-pass Go lexer rather
// than a syntax tree: summarising every file of a workspace (the Go standard library is 50 MB of source) must
// cost a fraction of parsing it, and the facts needed are visible at the token level: the `func` declarations
// at the start of a line, their parameter lists, and `name(`, `pkg.Name(`, `recv.Method(` inside their bodies.

import { isLifetimeCall } from '../lifetime';
import { isLogOrMetricCall } from '../logsAndMetrics';
import { PropagationCollector, type PropagationSummary } from './propagation';

export interface RootCreation {
  /** 0-based line and UTF-16 columns of `context.Background()`. */
  readonly line: number;
  readonly character: number;
  readonly endCharacter: number;
  readonly text: string;
}

export interface FunctionSummary {
  /** `load`, or `Server.load` for a method. */
  readonly name: string;
  /** Position of the function's name. */
  readonly line: number;
  readonly character: number;
  /** Takes a context.Context or an *http.Request: callers can hand it their context. */
  readonly takesContext: boolean;
  /** Its context.Context parameter is declared `_` or left unnamed: what it is handed starts nothing. */
  readonly ignoresContext?: boolean;
  /** The first root context the function (or a closure in it) creates. */
  readonly root?: RootCreation;
  /**
   * The first root context it hands to work that can be traced: passed to a call (directly, or as the base of
   * a With* context used in the function). Not one it returns or stores (a value for a component's lifetime,
   * `s.ctx, s.cancel = context.WithCancel(context.Background())`), nor one only a logging call receives.
   */
  readonly breakRoot?: RootCreation;
  /**
   * Whom it calls (only recorded for functions that take no context, the only ones a chain break goes through):
   * `load` and `Server.load` in its own package, `<import path>\u0000Name` in another.
   */
  readonly calls: readonly string[];
}

export interface ImportSummary {
  readonly path: string;
  /** The alias, `.` or `_`, when one is given. */
  readonly name?: string;
}

export interface FileSummary {
  readonly packageName: string;
  readonly imports: readonly ImportSummary[];
  readonly functions: readonly FunctionSummary[];
  /** What the file does about trace propagation, when it does anything (propagation.ts). */
  readonly propagation?: PropagationSummary;
}

/** The key of a function of another package in FunctionSummary.calls. */
export function packageCalleeKey(importPath: string, name: string): string {
  return `${importPath}\u0000${name}`;
}

const IDENT = 1;
const STRING = 2;
const OTHER_LITERAL = 3;
const PUNCT = 4;
const EOF = 0;

const KEYWORDS_AND_BUILTINS: ReadonlySet<string> = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto',
  'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic',
  'print', 'println', 'real', 'recover',
  'bool', 'byte', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16', 'int32', 'int64',
  'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'any',
]);

/** ASCII character classes: 1 starts an identifier, 2 continues one (letters, digits, _). Above ASCII: letters. */
const IDENT_START = 1;
const IDENT_PART = 2;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  CHAR_CLASS[c] = (letter ? IDENT_START | IDENT_PART : 0) | (c >= 48 && c <= 57 ? IDENT_PART : 0);
}

function isIdentStart(c: number): boolean {
  return c >= 128 || (CHAR_CLASS[c]! & IDENT_START) !== 0;
}

function isIdentPart(c: number): boolean {
  return c >= 128 || (CHAR_CLASS[c]! & IDENT_PART) !== 0;
}

function defaultName(importPath: string): string {
  if (importPath === 'github.com/opentracing/opentracing-go') return 'opentracing';
  if (importPath === 'github.com/uber/jaeger-client-go') return 'jaeger';
  const parts = importPath.split('/');
  let last = parts[parts.length - 1] ?? importPath;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  return last.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/-go$/, '').replace(/[-.]/g, '_');
}

/** A Go lexer over a string: one token at a time, comments skipped, positions in UTF-16 units. */
class Lexer {
  kind = EOF;
  start = 0;
  end = 0;
  /** The punctuation character (first char) of a PUNCT token. */
  punct = 0;
  line = 0;
  column = 0;
  /** The token is the first on its line. */
  firstOnLine = true;
  private pos = 0;
  private curLine = 0;
  private lineStart = 0;
  private sawNewline = true;

  constructor(private readonly src: string) {}

  text(): string {
    return this.src.slice(this.start, this.end);
  }

  /** The current token is the punctuation `c` (a method, so TypeScript does not narrow across next()). */
  isPunct(c: number): boolean {
    return this.kind === PUNCT && this.punct === c;
  }

  is(kind: number): boolean {
    return this.kind === kind;
  }

  next(): number {
    const src = this.src;
    const n = src.length;
    let i = this.pos;
    for (;;) {
      if (i >= n) {
        this.pos = i;
        this.kind = EOF;
        this.start = this.end = n;
        return EOF;
      }
      const c = src.charCodeAt(i);
      if (c === 10) {
        i++;
        this.curLine++;
        this.lineStart = i;
        this.sawNewline = true;
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
        i++;
        continue;
      }
      if (c === 47 /* / */ && i + 1 < n) {
        const d = src.charCodeAt(i + 1);
        if (d === 47) {
          const nl = src.indexOf('\n', i);
          i = nl === -1 ? n : nl;
          continue;
        }
        if (d === 42) {
          const close = src.indexOf('*/', i + 2);
          const stop = close === -1 ? n : close + 2;
          for (let k = src.indexOf('\n', i); k !== -1 && k < stop; k = src.indexOf('\n', k + 1)) {
            this.curLine++;
            this.lineStart = k + 1;
            this.sawNewline = true;
          }
          i = stop;
          continue;
        }
      }
      break;
    }
    const c = src.charCodeAt(i);
    this.start = i;
    this.line = this.curLine;
    this.column = i - this.lineStart;
    this.firstOnLine = this.sawNewline;
    this.sawNewline = false;
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(src.charCodeAt(i))) i++;
      this.kind = IDENT;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === c) {
          i++;
          break;
        } else if (d === 10) break;
        else i++;
      }
      if (i > n) i = n;
      this.kind = c === 34 ? STRING : OTHER_LITERAL;
    } else if (c === 96 /* ` */) {
      const close = src.indexOf('`', i + 1);
      const stop = close === -1 ? n : close + 1;
      for (let k = src.indexOf('\n', i); k !== -1 && k < stop; k = src.indexOf('\n', k + 1)) {
        this.curLine++;
        this.lineStart = k + 1;
      }
      i = stop;
      this.kind = STRING;
    } else if ((c >= 48 && c <= 57) || (c === 46 && i + 1 < n && src.charCodeAt(i + 1) >= 48 && src.charCodeAt(i + 1) <= 57)) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (isIdentPart(d) || d === 46) i++;
        else if ((d === 43 || d === 45) && /[eEpP]/.test(src[i - 1]!)) i++;
        else break;
      }
      this.kind = OTHER_LITERAL;
    } else {
      i++;
      // `:=` is the only multi-character operator the summariser cares about.
      if (c === 58 && i < n && src.charCodeAt(i) === 61) i++;
      this.kind = PUNCT;
      this.punct = c;
    }
    this.end = i;
    this.pos = i;
    return this.kind;
  }
}

const LPAREN = 40;
const RPAREN = 41;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const DOT = 46;
const STAR = 42;
const COMMA = 44;

/** The context package's functions deriving from a parent: the parent's use is the derived context's use. */
const DERIVING = /^With(Cancel|CancelCause|Timeout|TimeoutCause|Deadline|DeadlineCause|Value|outCancel)$/;

/** Where an expression's value goes, from the tokens before it: kept (returned, stored) or used here. */
const KEPT = 1;
const USED = 2;

interface OpenCall {
  /** The called name (`Foo` of `x.Foo(`), or '' for a parenthesis that is no call. */
  readonly name: string;
  /** The qualifier's import path when it is a package (`context` for `context.WithCancel(`). */
  readonly path: string | undefined;
  /**
   * A method of a client called on a value (`s.store.Get(`, `tracer.Start(`): the value's name says it talks
   * to something else (a client, store, connection, tracer…). Not a package function, and not a method of a
   * value the name says nothing about (an in-memory state machine, a monitoring facade).
   */
  readonly method: boolean;
  /** The call is the first argument of the call around it (`x.Get(context.WithValue(…), …)`). */
  readonly firstArgument: boolean;
  /** Where the call's result goes. */
  readonly use: number;
}

/** Names of values that reach another process, or a tracer: `client`, `secretStore`, `gcloudStorage`, `db`, `tracer`. */
const CLIENT_NAME = /(^|[a-z0-9_])(client|Client|store|Store|storage|Storage|db|DB|Db|conn|Conn|repo|Repo|repository|Repository|api|API|Api|svc|Svc|service|Service|bucket|Bucket|rpc|RPC|tracer|Tracer|producer|Producer|publisher|Publisher|redis|Redis|kv|KV|s3|S3|queue|Queue|transport|Transport|stub|Stub)$/;

/** Parameter types that are functions to run: `RetryFunc`, `Operation`, `callbackFn`. */
const CALLBACK_TYPE = /(Func|Fn|Operation|Callback)$/;

/** How a function's context-taking twin is named: `GetContext`, `GetCtx`, `GetWithContext` for `Get`. */
export const TWIN_NAMES: readonly string[] = ['Context', 'Ctx', 'WithContext', 'WithCtx'];

const NOT_A_CALL: OpenCall = { name: '', path: undefined, method: false, firstArgument: false, use: USED };

/** Package functions that send a request with the context they are given (besides methods of clients). */
const SENDING_FUNCTIONS: ReadonlySet<string> = new Set(['net/http\u0000NewRequestWithContext']);

interface MutableFunction {
  name: string;
  line: number;
  character: number;
  takesContext: boolean;
  root?: RootCreation;
  breakRoot?: RootCreation;
  calls: Set<string> | undefined;
  receiverName: string | undefined;
  receiverType: string | undefined;
  /** Takes a function to run (`op func() error`, `operation Operation`): its work is the caller's callback. */
  takesCallback?: boolean;
  /** See FunctionSummary.ignoresContext. */
  ignoresContext?: boolean;
}

/** Summarises a Go file. Never throws; a file that does not lex as Go gives whatever declarations were readable. */
export function summarizeGoSource(source: string): FileSummary {
  const lx = new Lexer(source);
  let packageName = '';
  const imports: ImportSummary[] = [];
  const functions: FunctionSummary[] = [];
  const aliasToPath = new Map<string, string>();
  let contextAliases = new Set<string>();
  let httpAliases = new Set<string>();
  let contextDotImported = false;
  let httpDotImported = false;
  const propagation = new PropagationCollector(source, aliasToPath);

  const addImport = (path: string, name: string | undefined) => {
    imports.push(name ? { path, name } : { path });
    propagation.onImport(path);
    if (name === '_') return;
    if (name === '.') {
      if (path === 'context') contextDotImported = true;
      if (path === 'net/http') httpDotImported = true;
      return;
    }
    const local = name ?? defaultName(path);
    aliasToPath.set(local, path);
    if (path === 'context') contextAliases = new Set([...contextAliases, local]);
    if (path === 'net/http') httpAliases = new Set([...httpAliases, local]);
  };

  const readImportSpec = (): boolean => {
    // [name] "path"
    let name: string | undefined;
    if (lx.is(IDENT) || (lx.isPunct(DOT))) {
      name = lx.text();
      lx.next();
    }
    if (!lx.is(STRING)) return false;
    const literal = lx.text();
    addImport(literal.slice(1, -1), name);
    lx.next();
    return true;
  };

  let fn: MutableFunction | undefined;
  let depth = 0; // brace depth inside the current function body
  // The four tokens before the current one (1 = the previous), inside a body.
  let k1 = 0, k2 = 0, k3 = 0, k4 = 0;
  let p1 = 0, p2 = 0, p3 = 0, p4 = 0;
  let s1 = 0, s2 = 0, s3 = 0;
  let e1 = 0, e2 = 0, e3 = 0;
  let l1 = 0, l2 = 0, l3 = 0;
  let c1 = 0, c2 = 0, c3 = 0;
  let k5 = 0, p5 = 0, k6 = 0, p6 = 0, s4 = 0, e4 = 0;
  let f1 = false; // the previous token was the first on its line
  let pendingRoot: { line: number; character: number; start: number; counts: boolean; variable: string | undefined } | undefined;
  // Local variables holding a root context (`ctx, cancel := context.WithTimeout(context.Background(), d)`),
  // followed to a client's call that takes them first (`s.store.Get(ctx, …)`).
  const rootVariables = new Map<string, RootCreation>();
  // The identifier a statement starts with, and the token after it (`ctx` and `,` or `:=`).
  let statementName = '';
  let statementNameAt = -1;
  let statementNext = 0;
  // The parentheses open at this point of the body, innermost last, with the call each belongs to.
  const openCalls: OpenCall[] = [];
  /**
   * Where the value of an expression starting after the token `kind`/`punct` (with `before`/`beforePunct`, and
   * `beforeThat` the punctuation two tokens earlier) goes: KEPT when it is returned, a composite literal's field
   * or assigned to a field (`s.ctx = …`), else USED.
   */
  const useAfter = (kind: number, punct: number, start: number, end: number, before: number, beforeThat: number): number => {
    if (kind === IDENT && end - start === 6 && source.startsWith('return', start)) return KEPT;
    if (kind !== PUNCT) return USED;
    if (punct === 58 && end - start === 1) return KEPT; // `Field: …` in a composite literal
    if ((punct === 61 || punct === 58) && before === IDENT && beforeThat === DOT) return KEPT; // `x.f = …`
    return USED;
  };
  /**
   * The local variable a root context whose expression starts after the token `kind`/`punct` goes into: the
   * statement's first name, when the statement assigns the root (or a With* context derived from it) to it.
   */
  const rootVariable = (kind: number, punct: number): string | undefined => {
    if (statementName === '' || !(statementNext === COMMA || statementNext === 58 || statementNext === 61)) return undefined;
    if (kind === PUNCT && (punct === 58 || punct === 61) && openCalls.length === 0) return statementName;
    const enclosing = openCalls[openCalls.length - 1];
    if (openCalls.length === 1 && enclosing?.path === 'context' && DERIVING.test(enclosing.name) && kind === PUNCT && punct === LPAREN) {
      return statementName;
    }
    return undefined;
  };
  /**
   * Whether a root context whose expression starts after the token `kind`/`punct` is handed to traced work:
   * the first argument of a client's method (`s.store.Get(context.Background(), …)`, directly or as the base
   * of a With* context) or of a function that sends a request with it, and not of a logging or metric call.
   * Not when it is returned or stored, nor when a local variable takes it (a lexer cannot follow where that
   * goes: a fresh timeout for a shutdown, a value for a constructor), nor for a package function that may
   * only compute (a visitor, a value builder): where it is unclear whether a trace is lost, nothing counts.
   */
  const rootCounts = (kind: number, punct: number): boolean => {
    if (!(kind === PUNCT && punct === LPAREN)) return false;
    for (let i = openCalls.length - 1; i >= 0; i--) {
      const call = openCalls[i]!;
      if (call.name === '') return false;
      if (call.path === 'context' && DERIVING.test(call.name)) {
        if (call.use === KEPT || !call.firstArgument) return false;
        continue; // the derived context: where does it go?
      }
      if (isLogOrMetricCall(call.name) || isLifetimeCall(call.name)) return false;
      // `func (r *Redis) Get(k) { return r.GetCtx(context.Background(), k) }`: the root goes to the
      // function's own context-taking twin, the work it stands for.
      // (Not when the function runs a callback it is given, as a retry wrapper does: the callback, the
      // caller's own code, holds the caller's context, and the root only paces the wrapper.)
      const base = fn ? fn.name.slice(fn.name.lastIndexOf('.') + 1) : '';
      if (base !== '' && !fn?.takesCallback && TWIN_NAMES.some((suffix) => call.name === `${base}${suffix}`)) return true;
      return call.method || (call.path !== undefined && SENDING_FUNCTIONS.has(`${call.path}\u0000${call.name}`));
    }
    return false;
  };
  // Brace depths of `interface {` blocks: their method specs (`Timeout() bool`) are not calls.
  const interfaceDepths: number[] = [];

  const finish = () => {
    if (!fn) return;
    functions.push({
      name: fn.name, line: fn.line, character: fn.character, takesContext: fn.takesContext,
      ...(fn.ignoresContext ? { ignoresContext: true } : {}),
      ...(fn.root ? { root: fn.root } : {}),
      ...(fn.breakRoot ? { breakRoot: fn.breakRoot } : {}),
      calls: fn.calls ? [...fn.calls] : [],
    });
    fn = undefined;
  };

  /** Parses a `func` declaration header; leaves the lexer on the body's `{` (or wherever the header ended). */
  const readHeader = (): MutableFunction | undefined => {
    let receiverName: string | undefined;
    let receiverType: string | undefined;
    lx.next();
    if (lx.isPunct(LPAREN)) {
      const idents: string[] = [];
      let d = 1;
      let brackets = 0;
      while (d > 0 && lx.next() !== EOF) {
        if (lx.is(PUNCT)) {
          if (lx.punct === LPAREN) d++;
          else if (lx.punct === RPAREN) d--;
          else if (lx.punct === LBRACKET) brackets++;
          else if (lx.punct === RBRACKET) brackets--;
        } else if (lx.is(IDENT) && brackets === 0 && d === 1) idents.push(lx.text());
        if (lx.firstOnLine && lx.is(IDENT) && lx.text() === 'func') return undefined;
      }
      if (idents.length >= 2) [receiverName, receiverType] = idents;
      else receiverType = idents[0];
      lx.next();
    }
    if (!lx.is(IDENT)) return undefined;
    const baseName = lx.text();
    const summary: MutableFunction = {
      name: receiverType ? `${receiverType}.${baseName}` : baseName, line: lx.line, character: lx.column,
      takesContext: false, calls: undefined, receiverName, receiverType,
    };
    lx.next();
    if (lx.isPunct(LBRACKET)) {
      let d = 1;
      while (d > 0 && lx.next() !== EOF) {
        if (lx.isPunct(LBRACKET)) d++;
        else if (lx.isPunct(RBRACKET)) d--;
      }
      lx.next();
    }
    if (!lx.isPunct(LPAREN)) return summary;
    // Parameters: a context.Context or *http.Request at the top level of the list.
    let d = 1;
    let prevKind = 0, prevPunct = 0, prevText = '';
    let prev2Kind = 0, prev2Punct = 0, prev2Text = '';
    let prev3Punct = 0, prev3Kind = 0, prev3Text = '';
    while (d > 0 && lx.next() !== EOF) {
      const kind: number = lx.kind;
      const punct: number = kind === PUNCT ? lx.punct : 0;
      if (punct === LPAREN || punct === LBRACKET || punct === LBRACE) d++;
      else if (punct === RPAREN || punct === RBRACKET || punct === RBRACE) d--;
      const text = kind === IDENT && d === 1 ? lx.text() : '';
      if (text === 'func' || CALLBACK_TYPE.test(text)) summary.takesCallback = true;
      if (text === 'Context' || text === 'Request') {
        const qualified = prevKind === PUNCT && prevPunct === DOT && prev2Kind === IDENT;
        if (text === 'Context' && (qualified ? contextAliases.has(prev2Text) : contextDotImported && !(prevKind === PUNCT && prevPunct === DOT))) {
          summary.takesContext = true;
          // `_ context.Context`, or `(context.Context, …)` without names.
          const before = qualified ? { kind: prev3Kind, punct: prev3Punct, text: prev3Text } : { kind: prev2Kind, punct: prev2Punct, text: prev2Text };
          summary.ignoresContext = (before.kind === IDENT && before.text === '_') || (before.kind === PUNCT && (before.punct === LPAREN || before.punct === COMMA));
        }
        if (text === 'Request' && (qualified ? httpAliases.has(prev2Text) && prev3Punct === STAR : httpDotImported && prevPunct === STAR)) {
          summary.takesContext = true;
        }
      }
      prev3Punct = prev2Kind === PUNCT ? prev2Punct : 0;
      prev3Kind = prev2Kind; prev3Text = prev2Text;
      prev2Kind = prevKind; prev2Punct = prevPunct; prev2Text = prevText;
      prevKind = kind; prevPunct = punct; prevText = text;
    }
    // Results, up to the body's `{` (struct{…} and interface{…} result types have braces of their own).
    let previousIdent = '';
    while (lx.next() !== EOF) {
      if (lx.firstOnLine) return summary;
      if (lx.isPunct(LBRACE)) {
        if (previousIdent === 'struct' || previousIdent === 'interface') {
          let b = 1;
          while (b > 0 && lx.next() !== EOF) {
            if (lx.isPunct(LBRACE)) b++;
            else if (lx.isPunct(RBRACE)) b--;
          }
          previousIdent = '';
          continue;
        }
        return summary;
      }
      previousIdent = lx.is(IDENT) ? lx.text() : '';
    }
    return summary;
  };

  lx.next();
  while (!lx.is(EOF)) {
    // A `func` at the start of a line begins a top-level declaration, whatever came before it (gofmt never
    // puts one there inside a body): this keeps one malformed function from swallowing the rest of the file.
    if (lx.is(IDENT) && lx.firstOnLine && lx.column === 0 && lx.text() === 'func') {
      finish();
      const header = readHeader();
      if (header && lx.isPunct(LBRACE)) {
        fn = header;
        if (!fn.takesContext) fn.calls = new Set();
        depth = 1;
        interfaceDepths.length = 0;
        k1 = k2 = k3 = k4 = k5 = k6 = 0;
        pendingRoot = undefined;
        openCalls.length = 0;
        rootVariables.clear();
        statementName = '';
        propagation.onFunctionStart();
        lx.next();
        continue;
      }
      if (header) functions.push({ name: header.name, line: header.line, character: header.character, takesContext: header.takesContext, ...(header.ignoresContext ? { ignoresContext: true } : {}), calls: [] });
      if (!(lx.is(IDENT) && lx.firstOnLine && lx.text() === 'func')) lx.next();
      continue;
    }
    if (!fn) {
      if (lx.is(IDENT) && lx.firstOnLine) {
        const word = lx.text();
        if (word === 'package') {
          if (lx.next() === IDENT) packageName = lx.text();
          continue;
        }
        if (word === 'import') {
          lx.next();
          if (lx.isPunct(LPAREN)) {
            lx.next();
            while (!lx.is(EOF) && !(lx.isPunct(RPAREN))) {
              if (!readImportSpec()) lx.next();
            }
            lx.next();
          } else {
            readImportSpec();
          }
          continue;
        }
      }
      lx.next();
      continue;
    }

    // Inside a function body.
    const kind: number = lx.kind;
    const punct: number = kind === PUNCT ? lx.punct : 0;
    if (pendingRoot) {
      if (punct === RPAREN) {
        const creation = {
          line: pendingRoot.line, character: pendingRoot.character,
          endCharacter: pendingRoot.character + (lx.end - pendingRoot.start), text: source.slice(pendingRoot.start, lx.end),
        };
        fn.root ??= creation;
        if (pendingRoot.counts) fn.breakRoot ??= creation;
        if (pendingRoot.variable) rootVariables.set(pendingRoot.variable, creation);
      }
      pendingRoot = undefined;
    }
    // A variable holding a root, as the first argument of a client's call: `s.store.Get(ctx, …)`.
    if ((punct === COMMA || punct === RPAREN) && k1 === IDENT && k2 === PUNCT && p2 === LPAREN && rootVariables.size > 0 && !fn.breakRoot) {
      const held = rootVariables.get(source.slice(s1, e1));
      const call = openCalls[openCalls.length - 1];
      if (held && call && call.method && !isLogOrMetricCall(call.name) && !isLifetimeCall(call.name)) fn.breakRoot = held;
    }
    if (kind === IDENT && lx.firstOnLine) {
      statementName = source.slice(lx.start, lx.end);
      statementNameAt = lx.start;
      statementNext = 0;
    } else if (statementNameAt === s1 && statementNext === 0) {
      statementNext = kind === PUNCT ? punct : -1;
    }
    if (punct === RPAREN) {
      openCalls.pop();
      if (propagation.awaitingClose) propagation.onCallClosed(openCalls.length, lx.start);
    }
    if (punct === LBRACE && k1 === IDENT && k2 === PUNCT && p2 === DOT && k3 === IDENT && !(k4 === PUNCT && p4 === DOT)) {
      // `propagation.TraceContext{}`: a composite literal of a package's type.
      const path = aliasToPath.get(source.slice(s3, e3));
      if (path) propagation.onQualified(path, source.slice(s1, e1), { line: l3, character: c3, endCharacter: c1 + (e1 - s1) }, false, 0, 0);
    }
    if (punct === 61 && lx.end - lx.start === 1 && k1 === IDENT && k2 === PUNCT && p2 === DOT && k3 === IDENT) {
      // `http.DefaultTransport = …`, `http.DefaultClient = …`, `http.DefaultClient.Transport = …`.
      const member = source.slice(s1, e1);
      const qualifier = source.slice(s3, e3);
      if (((member === 'DefaultTransport' || member === 'DefaultClient') && (httpAliases.has(qualifier) || (httpDotImported && !(k4 === PUNCT && p4 === DOT))))
        || (member === 'Transport' && qualifier === 'DefaultClient' && k4 === PUNCT && p4 === DOT)) {
        propagation.onDefaultTransportAssigned();
      }
    }
    if (punct === LBRACE) {
      depth++;
      if (k1 === IDENT && e1 - s1 === 9 && source.startsWith('interface', s1)) interfaceDepths.push(depth);
    } else if (punct === RBRACE) {
      if (interfaceDepths.length > 0 && interfaceDepths[interfaceDepths.length - 1] === depth) interfaceDepths.pop();
      depth--;
      if (depth === 0) {
        finish();
        lx.next();
        continue;
      }
    }
    if (punct === LPAREN && !(k1 === IDENT && interfaceDepths.length === 0)) openCalls.push(NOT_A_CALL);
    if (punct === LPAREN && k1 === IDENT && interfaceDepths.length === 0) {
      if (k2 === PUNCT && p2 === DOT) {
        const member = source.slice(s1, e1);
        const qualified = k3 === IDENT && !(k4 === PUNCT && p4 === DOT);
        const path = qualified ? aliasToPath.get(source.slice(s3, e3)) : undefined;
        if (qualified && path === 'context' && (member === 'Background' || member === 'TODO')) {
          pendingRoot = { line: l3, character: c3, start: s3, counts: rootCounts(k4, p4), variable: rootVariable(k4, p4) };
        }
        openCalls.push({
          name: member, path, method: path === undefined && k3 === IDENT && CLIENT_NAME.test(source.slice(s3, e3)),
          firstArgument: qualified && k4 === PUNCT && p4 === LPAREN,
          use: qualified ? useAfter(k4, p4, s4, e4, k5, k6 === PUNCT ? p6 : 0) : USED,
        });
        if (qualified && path) {
          propagation.onQualified(path, member, { line: l3, character: c3, endCharacter: c1 + (e1 - s1) }, true, lx.end, openCalls.length);
        }
        if (qualified) {
          const qualifier = source.slice(s3, e3);
          if (fn.calls) {
            if (qualifier === fn.receiverName && fn.receiverType) fn.calls.add(`${fn.receiverType}.${member}`);
            else if (path) fn.calls.add(packageCalleeKey(path, member));
          }
        }
      } else if (!(k2 === PUNCT && p2 === RBRACKET) || f1) {
        // (`[]T(x)` converts, it does not call.)
        const name = source.slice(s1, e1);
        if (contextDotImported && (name === 'Background' || name === 'TODO')) {
          pendingRoot = { line: l1, character: c1, start: s1, counts: rootCounts(k2, p2), variable: rootVariable(k2, p2) };
        }
        const path = contextDotImported && DERIVING.test(name) ? 'context' : undefined;
        openCalls.push({ name, path, method: false, firstArgument: k2 === PUNCT && p2 === LPAREN, use: useAfter(k2, p2, s2, e2, k3, k4 === PUNCT ? p4 : 0) });
        if (fn.calls && !KEYWORDS_AND_BUILTINS.has(name)) fn.calls.add(name);
      } else {
        openCalls.push(NOT_A_CALL);
      }
    }
    k6 = k5; p6 = p5; k5 = k4; p5 = p4;
    s4 = s3; e4 = e3;
    k4 = k3; p4 = p3;
    k3 = k2; p3 = p2; s3 = s2; e3 = e2; l3 = l2; c3 = c2;
    k2 = k1; p2 = p1; s2 = s1; e2 = e1; l2 = l1; c2 = c1;
    k1 = kind; p1 = punct; s1 = lx.start; e1 = lx.end; l1 = lx.line; c1 = lx.column; f1 = lx.firstOnLine;
    lx.next();
  }
  finish();
  const propagationSummary = propagation.result();
  return { packageName, imports, functions, ...(propagationSummary ? { propagation: propagationSummary } : {}) };
}
