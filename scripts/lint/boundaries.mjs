// The architecture's boundaries as lint rules (docs/architecture.md). Every import of a file (static
// `import`/`export … from`, dynamic `import()`, `require()`, `import x = require()` and type references
// `import('…').T`) is resolved to a file of the repository, and the places of the importing and the
// imported file decide whether it is allowed:
//
//   core/<name>/     the pure cores (analysis, profiles, timeline, capture, backends). Each is reached from outside
//                    only through its faces, index.ts (portable) and index.node.ts (Node-only). Files that
//                    use Node are named *.node.ts; core/timeline is bundled into a browser worker and uses
//                    no Node at all.
//   server/ client/ cli/ media/   the hosts: language server, extension host, command line, webviews.
//   common/          plain types and constants every side shares; imports nothing outside itself.
//   anything else    tests, scripts and build files: they may reach into core internals.
//
// `no-cycles` forbids import cycles among TypeScript files (type-only imports count).

import { builtinModules } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root: this file lives in scripts/lint/. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const NODE_BUILTINS = new Set(builtinModules);
const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.mjs', '.cjs', '.json'];
const TYPESCRIPT_FILE = /\.(ts|tsx|mts|cts)$/;
const NODE_ONLY_FILE = /\.node\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const HOSTS = new Set(['server', 'client', 'cli', 'media']);
const HOST_NAMES = {
  server: 'the language server (server/)',
  client: 'the extension host (client/)',
  cli: 'the CLI (cli/)',
  media: 'the webviews (media/)',
};

// ---------------------------------------------------------------------------------------------------
// Places

/** A path relative to the repository, with forward slashes. */
function repoPath(absolute) {
  return relative(ROOT, absolute).split(sep).join('/');
}

/**
 * Where a file belongs: `{ zone, core }`, zone one of core, common, server, client, cli, media, or
 * tooling (tests, scripts, build files and anything outside the repository).
 */
function placeOf(rel) {
  if (rel.startsWith('../') || isAbsolute(rel)) return { zone: 'tooling' };
  const core = /^core\/([^/]+)\//.exec(rel);
  if (core) return { zone: 'core', core: core[1] };
  const top = rel.split('/')[0];
  if (top === 'core') return { zone: 'core', core: '' };
  if (top === 'common' || HOSTS.has(top)) return { zone: top };
  return { zone: 'tooling' };
}

function isFace(rel) {
  return /^core\/[^/]+\/index(\.node)?\.ts$/.test(rel);
}

function isPortableFace(rel) {
  return /^core\/[^/]+\/index\.ts$/.test(rel);
}

/** Files bundled for the browser: the webviews and the timeline core their worker runs. */
function isBrowserBound(rel) {
  return rel.startsWith('media/') || rel.startsWith('core/timeline/');
}

/** `core/profiles/gunzip.ts` → `gunzip.node.ts`: the name a file using Node should have. */
function nodeFileName(rel) {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  return name.replace(/\.(ts|tsx|mts|cts|js|mjs|cjs)$/, '.node.$1');
}

// ---------------------------------------------------------------------------------------------------
// Resolution

function isFile(path, sources) {
  return sources.has(path) || statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

function isRelative(specifier) {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/**
 * The file a relative specifier names, as TypeScript and esbuild find it: the path itself, the path with a
 * source extension, a `.js` written for its `.ts`, or the folder's index. Undefined if there is none.
 */
function resolveFile(fromFile, specifier, sources) {
  const base = resolve(dirname(fromFile), specifier);
  if (!specifier.endsWith('/') && isFile(base, sources)) return base;
  const candidates = [];
  if (!specifier.endsWith('/')) {
    const js = /\.([cm]?)js$/.exec(base);
    if (js) candidates.push(`${base.slice(0, -js[0].length)}.${js[1]}ts`);
    for (const extension of RESOLVE_EXTENSIONS) candidates.push(base + extension);
  }
  for (const extension of RESOLVE_EXTENSIONS) candidates.push(join(base, `index${extension}`));
  return candidates.find((candidate) => isFile(candidate, sources));
}

/**
 * What an import names: `{ target }` (a repository path) for a relative specifier, `{ packageName }`
 * otherwise. An unresolved relative specifier is placed where it points (TypeScript reports it as missing).
 */
function describeSpecifier(fromFile, specifier, sources) {
  if (!isRelative(specifier) && !isAbsolute(specifier)) return { packageName: specifier };
  const resolved = resolveFile(fromFile, specifier, sources);
  if (resolved) return { target: repoPath(resolved) };
  let lexical = repoPath(resolve(dirname(fromFile), specifier));
  if (/^core\/[^/]+$/.test(lexical)) lexical += '/index';
  if (!/\.[cm]?[jt]sx?$/.test(lexical)) lexical += '.ts';
  return { target: lexical };
}

function isNodeBuiltin(name) {
  return name.startsWith('node:') || NODE_BUILTINS.has(name);
}

function isVscode(name) {
  return name === 'vscode' || name.startsWith('vscode/');
}

function isLanguageServerLibrary(name) {
  return /^vscode-(languageserver|languageclient|jsonrpc)(-[\w-]+)?(\/|$)/.test(name);
}

function isLanguageClient(name) {
  return /^vscode-languageclient(\/|$)/.test(name);
}

/** The shared `settings.boundaries.sources`: repository path → text read instead of the file on disk. */
function sourcesOf(context) {
  const given = context.settings?.boundaries?.sources ?? {};
  const sources = new Map();
  for (const [path, text] of Object.entries(given)) sources.set(resolve(ROOT, path), text);
  return sources;
}

// ---------------------------------------------------------------------------------------------------
// Imports of the file being linted

function stringValue(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return undefined;
}

function allSpecifiersAreTypes(specifiers, kindKey) {
  return specifiers.length > 0 && specifiers.every((specifier) => specifier[kindKey] === 'type');
}

/**
 * Listeners that call `visit({ node, specifier, typeOnly })` for every import of the file;
 * `node` is the specifier's string, where a problem is reported. `typeOnly` imports vanish from bundles.
 */
function importListeners(visit) {
  const emit = (source, typeOnly) => {
    const specifier = stringValue(source);
    if (specifier !== undefined) visit({ node: source, specifier, typeOnly });
  };
  return {
    ImportDeclaration(node) {
      emit(node.source, node.importKind === 'type' || allSpecifiersAreTypes(node.specifiers, 'importKind'));
    },
    ExportNamedDeclaration(node) {
      if (node.source) emit(node.source, node.exportKind === 'type' || allSpecifiersAreTypes(node.specifiers, 'exportKind'));
    },
    ExportAllDeclaration(node) {
      emit(node.source, node.exportKind === 'type');
    },
    ImportExpression(node) {
      emit(node.source, false);
    },
    CallExpression(node) {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length > 0) {
        emit(node.arguments[0], false);
      }
    },
    TSImportType(node) {
      emit(node.source ?? node.argument?.literal, true);
    },
    TSImportEqualsDeclaration(node) {
      if (node.moduleReference.type === 'TSExternalModuleReference') {
        emit(node.moduleReference.expression, node.importKind === 'type');
      }
    },
  };
}

/**
 * A rule over the file's imports: `check(imported, report)` for each, where `imported` carries the
 * importing file (`from`, `fromPlace`), the import (`specifier`, `typeOnly`) and what it names
 * (`target` and `targetPlace`, or `packageName`).
 */
function importRule({ description, messages, appliesTo, check }) {
  return {
    meta: { type: 'problem', docs: { description }, schema: [], messages },
    create(context) {
      const filename = context.filename;
      if (!isAbsolute(filename)) return {};
      const from = repoPath(filename);
      const fromPlace = placeOf(from);
      if (!appliesTo(from, fromPlace)) return {};
      const sources = sourcesOf(context);
      return importListeners((found) => {
        const named = describeSpecifier(filename, found.specifier, sources);
        const imported = { ...found, ...named, from, fromPlace, targetPlace: named.target ? placeOf(named.target) : undefined };
        check(imported, (messageId, data = {}) =>
          context.report({ node: found.node, messageId, data: { from, target: named.target ?? named.packageName, ...data } }),
        );
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Boundary rules

const coreFaces = importRule({
  description: 'Hosts and other cores reach a core only through core/<name>/index.ts or index.node.ts.',
  messages: {
    internal: '{{from}} imports {{target}}: import {{face}} ({{faceKind}}) instead, exporting what you need from there.',
    unplaced: '{{from}} imports {{target}}, which belongs to no core: code in core/ lives in a core folder, core/<name>/.',
  },
  appliesTo: (_from, place) => place.zone === 'core' || HOSTS.has(place.zone),
  check(imported, report) {
    const { fromPlace, target, targetPlace } = imported;
    if (!target || targetPlace.zone !== 'core' || isFace(target)) return;
    if (fromPlace.zone === 'core' && fromPlace.core === targetPlace.core) return;
    if (targetPlace.core === '') return report('unplaced');
    if (NODE_ONLY_FILE.test(target)) {
      report('internal', { face: `core/${targetPlace.core}/index.node`, faceKind: 'its Node-only face' });
    } else {
      report('internal', { face: `core/${targetPlace.core}`, faceKind: 'its index' });
    }
  },
});

const corePlatform = importRule({
  description:
    'The cores are plain TypeScript: no vscode or LSP libraries; Node only in *.node.ts files; index.ts faces never expose *.node.ts files.',
  messages: {
    editor:
      '{{from}} imports {{target}}: the cores are plain TypeScript every host shares; keep vscode code in client/src and LSP code in server/src, and pass what the core needs in.',
    nodeBuiltin:
      '{{from}} imports {{target}} but is not a *.node.ts file: move the Node-only code into a *.node.ts file exported from {{nodeFace}}, or rename this file {{rename}}.',
    nodeFile:
      '{{from}} imports {{target}} at run time but is not a *.node.ts file: only *.node.ts files may use Node-only code; import only its types, have the host pass it in, or rename this file {{rename}}.',
    faceExposesNode:
      '{{from}} is the portable face and must not expose the Node-only {{target}}: export it from {{nodeFace}} instead.',
  },
  appliesTo: (_from, place) => place.zone === 'core',
  check(imported, report) {
    const { from, fromPlace, packageName, target, typeOnly } = imported;
    const nodeFace = `core/${fromPlace.core}/index.node.ts`;
    const rename = nodeFileName(from);
    if (packageName !== undefined) {
      if (isVscode(packageName) || isLanguageServerLibrary(packageName)) return report('editor');
      // Browser-bound files are held to browser-no-node, which forbids Node whatever the file is named.
      if (isNodeBuiltin(packageName) && !NODE_ONLY_FILE.test(from) && !isBrowserBound(from)) {
        report('nodeBuiltin', { nodeFace, rename });
      }
      return;
    }
    if (!target || !NODE_ONLY_FILE.test(target) || NODE_ONLY_FILE.test(from)) return;
    if (isPortableFace(from)) return report('faceExposesNode', { nodeFace });
    if (!typeOnly && !isBrowserBound(from)) report('nodeFile', { rename });
  },
});

const browserNoNode = importRule({
  description: 'Code bundled for the browser (media/ and core/timeline/, which the timeline worker runs) imports no Node.',
  messages: {
    nodeBuiltin: '{{from}} imports {{target}}: {{why}} and must not use Node.',
    nodeFile: '{{from}} imports the Node-only {{target}}: {{why}} and must not use Node; {{instead}}.',
  },
  appliesTo: (from) => isBrowserBound(from),
  check(imported, report) {
    const { from, packageName, target, targetPlace } = imported;
    const why = from.startsWith('media/')
      ? 'webviews run in the browser'
      : "core/timeline is bundled into the timeline webview's worker";
    if (packageName !== undefined) {
      if (isNodeBuiltin(packageName)) report('nodeBuiltin', { why });
      return;
    }
    if (!target || !NODE_ONLY_FILE.test(target)) return;
    const instead =
      targetPlace.zone === 'core' && targetPlace.core !== placeOf(from).core
        ? `import core/${targetPlace.core} (its portable face) instead`
        : 'keep the Node-only work in the extension host and send the browser its result';
    report('nodeFile', { why, instead });
  },
});

const hostSeparation = importRule({
  description:
    'Hosts stay apart: webviews import no vscode, Node or other host; the extension host, the language server and the CLI import none of each other.',
  messages: {
    webviewEditor:
      '{{from}} imports {{target}}: webviews run in the browser; talk to the extension host with messages (media/shared/vscodeApi.ts, types in common/).',
    otherHost: '{{from}} imports {{target}}: {{fromHost}} must not import {{targetHost}}; {{share}}.',
    noVscode: '{{from}} imports {{target}}: {{fromHost}} runs outside VS Code, where {{target}} does not exist.',
  },
  appliesTo: (_from, place) => HOSTS.has(place.zone),
  check(imported, report) {
    const { fromPlace, packageName, targetPlace } = imported;
    const host = fromPlace.zone;
    if (packageName !== undefined) {
      if (host === 'media' && (isVscode(packageName) || isLanguageServerLibrary(packageName))) report('webviewEditor');
      if ((host === 'server' || host === 'cli') && (isVscode(packageName) || isLanguageClient(packageName))) {
        report('noVscode', { fromHost: HOST_NAMES[host] });
      }
      return;
    }
    if (!targetPlace || !HOSTS.has(targetPlace.zone) || targetPlace.zone === host) return;
    const share =
      host === 'media' || targetPlace.zone === 'media'
        ? 'they share only the message types in common/ and the portable cores'
        : 'share types through common/ and logic through a core in core/';
    report('otherHost', { fromHost: HOST_NAMES[host], targetHost: HOST_NAMES[targetPlace.zone], share });
  },
});

const commonSelfContained = importRule({
  description: 'common/ holds plain types and constants every side shares and imports nothing outside common/.',
  messages: {
    outside:
      '{{from}} imports {{target}}: common/ is shared by every side (vscode, the language server, Node, the browser) and imports nothing outside common/; move what it needs into common/ or keep this code where it is used.',
  },
  appliesTo: (_from, place) => place.zone === 'common',
  check(imported, report) {
    if (imported.packageName !== undefined || imported.targetPlace.zone !== 'common') report('outside');
  },
});

// ---------------------------------------------------------------------------------------------------
// Import cycles

/**
 * The import graph of the repository's TypeScript files, read lazily from the file being linted: a file's
 * edges are the relative imports TypeScript's own pre-processor finds in it (every kind, type-only ones
 * included), resolved to TypeScript files. What a file on disk imports is trusted for a second; then its
 * size and time are checked (and it is read again if they changed) and its imports resolved again (files
 * may have come or gone). So a lint run reads each file once, and an editor's long-lived linter follows
 * the disk.
 */
const FRESH_FOR_MS = 1000;
const fromDisk = new Map(); // absolute path → { checkedAt, mtimeMs, size, specifiers, edges }
const fromSources = new Map(); // absolute path → { text, edges }, for texts given in settings

/** The relative specifiers of a text, with the position of each. */
function relativeSpecifiers(text) {
  return ts.preProcessFile(text, true, true).importedFiles.filter(({ fileName }) => isRelative(fileName));
}

function resolveEdges(file, specifiers, sources) {
  const edges = [];
  for (const { fileName, pos, end } of specifiers) {
    const target = resolveFile(file, fileName, sources);
    if (target && TYPESCRIPT_FILE.test(target)) edges.push({ target, pos, end });
  }
  return edges;
}

function edgesOf(file, sources, now) {
  if (sources.has(file)) {
    const text = sources.get(file);
    const known = fromSources.get(file);
    if (known?.text === text) return known.edges;
    const edges = resolveEdges(file, relativeSpecifiers(text), sources);
    fromSources.set(file, { text, edges });
    return edges;
  }
  const known = fromDisk.get(file);
  if (known && now - known.checkedAt < FRESH_FOR_MS) return known.edges;
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    fromDisk.delete(file);
    return [];
  }
  const unchanged = known && known.mtimeMs === stat.mtimeMs && known.size === stat.size;
  const specifiers = unchanged ? known.specifiers : relativeSpecifiers(readFileSync(file, 'utf8'));
  const edges = resolveEdges(file, specifiers, sources);
  fromDisk.set(file, { checkedAt: now, mtimeMs: stat.mtimeMs, size: stat.size, specifiers, edges });
  return edges;
}

/** The strongly connected component (Tarjan) of `start` in the graph reachable from it. */
function componentOf(start, successors) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  let next = 0;
  let found;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const successor of successors(node)) {
      if (!index.has(successor)) {
        visit(successor);
        low.set(node, Math.min(low.get(node), low.get(successor)));
      } else if (onStack.has(successor)) {
        low.set(node, Math.min(low.get(node), index.get(successor)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.includes(start)) found = component;
    }
  };
  visit(start);
  return found;
}

/**
 * The cycles to report in a strongly connected component, each once: a depth-first walk of the component
 * from its first file (by path), following imports in path order, meets every cycle at one import at
 * least; each import that returns to a file still on the walk closes the cycle from that file to here.
 * Without those imports the component has no cycle left. The walk depends only on the component, so
 * whichever of its files is linted, the same import is blamed for the same cycle.
 */
function cyclesIn(component, successors) {
  const members = new Set(component);
  const sorted = [...component].sort();
  const path = [];
  const onPath = new Set();
  const done = new Set();
  const cycles = [];
  const walk = (node) => {
    path.push(node);
    onPath.add(node);
    const targets = [...new Set(successors(node))].filter((target) => members.has(target)).sort();
    for (const target of targets) {
      if (onPath.has(target)) cycles.push({ from: node, to: target, files: [...path.slice(path.indexOf(target)), target] });
      else if (!done.has(target)) walk(target);
    }
    path.pop();
    onPath.delete(node);
    done.add(node);
  };
  walk(sorted[0]);
  return cycles;
}

const noCycles = {
  meta: {
    type: 'problem',
    docs: { description: 'No import cycles among TypeScript files; type-only imports count.' },
    schema: [],
    messages: {
      cycle:
        'Import cycle {{cycle}}; this import closes it. Break it: move what the files share into a module that imports none of them, or pass it in.',
    },
  },
  create(context) {
    const filename = context.filename;
    if (!isAbsolute(filename) || !TYPESCRIPT_FILE.test(filename)) return {};
    return {
      'Program:exit'() {
        const sources = sourcesOf(context);
        sources.set(filename, context.sourceCode.text); // the text being linted, even if not saved (or not on disk)
        const now = Date.now();
        const ownEdges = resolveEdges(filename, relativeSpecifiers(context.sourceCode.text), sources);
        const successors = (file) => (file === filename ? ownEdges : edgesOf(file, sources, now)).map((edge) => edge.target);
        const component = componentOf(filename, successors);
        const selfImport = ownEdges.some((edge) => edge.target === filename);
        if (component.length === 1 && !selfImport) return;
        for (const cycle of cyclesIn(component, successors)) {
          if (cycle.from !== filename) continue;
          const edge = ownEdges.find((candidate) => candidate.target === cycle.to);
          const sourceCode = context.sourceCode;
          const node = sourceCode.getNodeByRangeIndex(edge.pos);
          const cycleText = cycle.files.map(repoPath).join(' → ');
          if (node) context.report({ node, messageId: 'cycle', data: { cycle: cycleText } });
          else {
            const loc = { start: sourceCode.getLocFromIndex(edge.pos), end: sourceCode.getLocFromIndex(edge.end) };
            context.report({ loc, messageId: 'cycle', data: { cycle: cycleText } });
          }
        }
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------

/** Globals that exist only with the DOM library; the cores run in Node and in a web worker without it. */
export const DOM_ONLY_GLOBALS = [
  'window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'HTMLElement', 'Element',
  'HTMLCanvasElement', 'CanvasRenderingContext2D', 'OffscreenCanvas', 'DOMParser', 'getComputedStyle',
  'requestAnimationFrame', 'cancelAnimationFrame', 'MutationObserver', 'ResizeObserver', 'IntersectionObserver',
  'customElements', 'acquireVsCodeApi',
];

export default {
  meta: { name: 'boundaries' },
  rules: {
    'core-faces': coreFaces,
    'core-platform': corePlatform,
    'browser-no-node': browserNoNode,
    'host-separation': hostSeparation,
    'common-self-contained': commonSelfContained,
    'no-cycles': noCycles,
  },
};
