#!/usr/bin/env node
// npm run bench:real — the context-chain analyzer's precision and recall on real Go codebases, against the
// findings reviewed by hand:
//   1. For each repository in test/realcode/corpus.json, a snapshot at its pinned commit (its Go and go.mod
//      files only) in the corpus folder, DIR/<owner>+<name>/. A missing or stale snapshot (the commit in its
//      .go-trace-lens-commit differs) is extracted from a local git mirror of the repository; the code of
//      these projects never enters this repository.
//   2. `go-trace-lens check` over the repository's checked folders (runCheck, as the CLI runs it, worker
//      threads included), timed per repository; findings in _test.go files are counted apart.
//   3. The findings against test/realcode/reviewed.tsv (repo, file, line, rule, verdict, why; verdict: real,
//      deliberate, false or missed): per rule and overall, findings emitted, their verdicts, the unreviewed
//      ones and the precision (real + deliberate) / reviewed; then every reviewed real break that is not
//      emitted now (LOST: found before, MISSED: never found) and every unreviewed finding.
// Exits 1 when a finding is unreviewed, the overall precision in non-test files is below 0.9, or a real break
// found before is no longer found (LOST); 2 when the arguments or the corpus are wrong or a repository could
// not be checked; 0 otherwise.
//
//   npm run bench:real -- [--corpus DIR] [--mirrors DIR] [--repo NAME]... [--write-unreviewed FILE]
//
//   --corpus DIR              the folder of the snapshots (default: $GO_TRACE_LENS_CORPUS or /work/corpus)
//   --mirrors DIR             git mirrors to extract missing snapshots from: DIR/<owner>+<name>/repo or
//                             DIR/<owner>+<name> (a bare repository or a clone) (default: $GO_TRACE_LENS_MIRRORS
//                             or /work/.mirror)
//   --repo NAME               only this repository (owner/name, name or owner+name; repeatable)
//   --write-unreviewed FILE   the unreviewed findings as rows of reviewed.tsv with an empty verdict and why,
//                             and the finding's message in a seventh column (ignored when read back)

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
// From source, as the tests run it (tsx): the same runCheck and file walk as `go-trace-lens check`.
const { runCheck } = require('../../cli/checkCommand.ts');
const { expandGoSources } = require('../../cli/goSources.ts');

const CORPUS_FILE = join(root, 'test', 'realcode', 'corpus.json');
const REVIEWED_FILE = join(root, 'test', 'realcode', 'reviewed.tsv');
const COMMIT_MARKER = '.go-trace-lens-commit';
const VERDICTS = ['real', 'deliberate', 'false', 'missed'];
const TSV_COLUMNS = ['repo', 'file', 'line', 'rule', 'verdict', 'why'];
const PRECISION_TARGET = 0.9;
// Folders `check` does not walk into (cli/goSources.ts): not worth extracting either.
const SKIPPED_DIR = /(^|\/)(vendor|testdata|node_modules|[._][^/]*)\//;

class SetupError extends Error {}

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        corpus: { type: 'string' },
        mirrors: { type: 'string' },
        repo: { type: 'string', multiple: true },
        'write-unreviewed': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new SetupError(error.message);
  }
  if (values.help) {
    console.log('usage: npm run bench:real -- [--corpus DIR] [--mirrors DIR] [--repo NAME]... [--write-unreviewed FILE]');
    process.exit(0);
  }
  return {
    corpus: resolve(values.corpus ?? process.env.GO_TRACE_LENS_CORPUS ?? '/work/corpus'),
    mirrors: resolve(values.mirrors ?? process.env.GO_TRACE_LENS_MIRRORS ?? '/work/.mirror'),
    repos: values.repo ?? [],
    writeUnreviewed: values['write-unreviewed'] ? resolve(values['write-unreviewed']) : undefined,
  };
}

/** corpus.json's repositories, checked for the fields the rest relies on, limited to the --repo names. */
function loadCorpus(only) {
  const { repos } = JSON.parse(readFileSync(CORPUS_FILE, 'utf8'));
  for (const entry of repos) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(entry.repo ?? '')) throw new SetupError(`corpus.json: "${entry.repo}" is not owner/name`);
    if (!/^[0-9a-f]{40}$/.test(entry.commit ?? '')) throw new SetupError(`corpus.json: ${entry.repo} needs a 40-hex commit`);
    entry.dirName = entry.repo.replace('/', '+');
    entry.paths = entry.paths?.length ? entry.paths : ['.'];
  }
  if (only.length === 0) return repos;
  const chosen = repos.filter((e) => only.some((n) => n === e.repo || n === e.dirName || n === e.repo.split('/')[1]));
  const unknown = only.filter((n) => !chosen.some((e) => n === e.repo || n === e.dirName || n === e.repo.split('/')[1]));
  if (unknown.length) throw new SetupError(`--repo ${unknown.join(', ')}: not in corpus.json (${repos.map((e) => e.repo).join(', ')})`);
  return chosen;
}

/** reviewed.tsv's rows, keyed by repo, file, line and rule (a header line and lines starting with # are skipped). */
function loadReviewed() {
  const rows = new Map();
  if (!existsSync(REVIEWED_FILE)) return rows;
  readFileSync(REVIEWED_FILE, 'utf8').split('\n').forEach((text, i) => {
    if (text.trim() === '' || text.startsWith('#') || (i === 0 && text.startsWith('repo\t'))) return;
    const [repo, file, line, rule, verdict, why] = text.split('\t');
    const where = `reviewed.tsv:${i + 1}`;
    if (!VERDICTS.includes(verdict)) throw new SetupError(`${where}: verdict "${verdict ?? ''}" is not one of ${VERDICTS.join(', ')}`);
    if (!/^\d+$/.test(line ?? '') || !rule || !file) throw new SetupError(`${where}: needs repo, file, line, rule, verdict, why separated by tabs`);
    if (!why?.trim()) throw new SetupError(`${where}: a verdict needs its one line of why`);
    const row = { repo, file, line: Number(line), rule, verdict, why, where };
    const key = keyOf(row);
    if (rows.has(key)) throw new SetupError(`${where}: the same finding as ${rows.get(key).where}`);
    rows.set(key, row);
  });
  return rows;
}

const keyOf = ({ repo, file, line, rule }) => `${repo}\t${file}\t${line}\t${rule}`;
const isTestFile = (file) => file.endsWith('_test.go');

function git(gitDir, args, options = {}) {
  return spawnSync('git', [`--git-dir=${gitDir}`, ...args], { maxBuffer: 1024 * 1024 * 1024, ...options });
}

/** The mirror's git directory for a repository, if there is one. */
function mirrorOf(mirrors, entry) {
  for (const candidate of [join(mirrors, entry.dirName, 'repo'), join(mirrors, entry.dirName), join(mirrors, entry.dirName, '.git')]) {
    if (existsSync(candidate) && git(candidate, ['rev-parse', '--git-dir']).status === 0) return candidate;
  }
  return undefined;
}

/**
 * Makes DIR/<owner>+<name> the snapshot at the pinned commit: kept when its marker names the commit (or when
 * it has no marker: a snapshot put there by hand), otherwise extracted from the mirror into a temporary
 * folder that replaces it once complete. Returns a reason when the repository cannot be checked.
 */
function ensureSnapshot(entry, corpus, mirrors) {
  const dir = join(corpus, entry.dirName);
  const marker = join(dir, COMMIT_MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === entry.commit) return undefined;
  if (existsSync(dir) && !existsSync(marker)) {
    console.log(`   ${entry.repo}: ${dir} has no ${COMMIT_MARKER}; checked as it is (commit unknown)`);
    return undefined;
  }
  const howTo = `get a mirror of https://github.com/${entry.repo} that has commit ${entry.commit} into ` +
    `${join(mirrors, entry.dirName)} (git clone --mirror), or extract that commit's tree into ${dir} and write the commit into ${marker}`;
  const gitDir = mirrorOf(mirrors, entry);
  if (!gitDir) return `no snapshot in ${dir} and no git mirror in ${join(mirrors, entry.dirName)}: ${howTo}`;
  if (git(gitDir, ['cat-file', '-e', `${entry.commit}^{commit}`]).status !== 0) {
    return `the mirror ${gitDir} does not have the pinned commit ${entry.commit}: ${howTo}`;
  }
  const stale = existsSync(marker) ? ` (replacing the snapshot of ${readFileSync(marker, 'utf8').trim().slice(0, 12)})` : '';
  console.log(`   ${entry.repo}: extracting ${entry.commit.slice(0, 12)} from ${gitDir}${stale}`);
  // Only what `check` reads: Go files below the checked paths, and every go.mod/go.work (import paths → folders).
  const listing = git(gitDir, ['ls-tree', '-r', '-z', '--name-only', entry.commit]);
  if (listing.status !== 0) return `git ls-tree ${entry.commit} failed in ${gitDir}: ${listing.stderr}`;
  const prefixes = entry.paths.map((p) => (p === '.' ? '' : p.replace(/\/*$/, '/')));
  const wanted = listing.stdout.toString('utf8').split('\0').filter((p) =>
    (/(^|\/)go\.(mod|work)$/.test(p) || (p.endsWith('.go') && prefixes.some((prefix) => p.startsWith(prefix)))) && !SKIPPED_DIR.test(p));
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  // In slices, to stay far below the command line's length limit; each slice is one archive.
  for (let i = 0; i < wanted.length; i += 500) {
    const archive = git(gitDir, ['archive', '--format=tar', entry.commit, '--', ...wanted.slice(i, i + 500)]);
    const tar = archive.status === 0 ? spawnSync('tar', ['-x', '-C', partial], { input: archive.stdout }) : undefined;
    if (!tar || tar.status !== 0) {
      rmSync(partial, { recursive: true, force: true });
      return `extracting ${entry.commit} from ${gitDir} failed: ${(tar ?? archive).stderr}`;
    }
  }
  writeFileSync(join(partial, COMMIT_MARKER), entry.commit + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return undefined;
}

/** Runs check over the repository's paths; findings as { repo, file (relative, /-separated), line, rule, message }. */
async function checkRepo(entry, corpus) {
  const dir = join(corpus, entry.dirName);
  const files = expandGoSources(entry.paths.map((p) => join(dir, p)), dir);
  const started = performance.now();
  const outcome = await runCheck(files);
  const ms = performance.now() - started;
  const findings = outcome.findings.flatMap(({ file, findings: list }) => list.map((f) => ({
    repo: entry.repo,
    file: relative(dir, file).split(sep).join('/'),
    line: f.range.start.line + 1,
    rule: f.rule,
    message: f.message,
  })));
  return { files: outcome.filesChecked, parsed: outcome.filesParsed, skipped: outcome.skipped.length, threads: outcome.threads, ms, findings };
}

/** One finding per repo, file, line and rule (two calls on a line share their verdict). */
function distinct(findings) {
  const seen = new Map();
  for (const f of findings) if (!seen.has(keyOf(f))) seen.set(keyOf(f), f);
  return [...seen.values()];
}

/** Per-rule and overall tallies of emitted findings by verdict; a `missed` row that is now emitted counts as real. */
function tally(findings, reviewed) {
  const rows = new Map();
  const blank = () => ({ emitted: 0, real: 0, deliberate: 0, false: 0, unreviewed: 0 });
  const all = blank();
  for (const f of findings) {
    if (!rows.has(f.rule)) rows.set(f.rule, blank());
    const verdict = reviewed.get(keyOf(f))?.verdict;
    for (const t of [rows.get(f.rule), all]) {
      t.emitted++;
      if (verdict === 'missed' || verdict === 'real') t.real++;
      else if (verdict) t[verdict]++;
      else t.unreviewed++;
    }
  }
  return { rows: [...rows].sort(([a], [b]) => a.localeCompare(b)), all };
}

const precision = (t) => {
  const judged = t.real + t.deliberate + t.false;
  return judged === 0 ? NaN : (t.real + t.deliberate) / judged;
};

function printTable(title, { rows, all }) {
  console.log(`\n${title}`);
  const head = ['rule', 'emitted', 'real', 'deliberate', 'false', 'unreviewed', 'precision'];
  const line = (name, t) => [name, t.emitted, t.real, t.deliberate, t.false, t.unreviewed,
    Number.isNaN(precision(t)) ? '-' : precision(t).toFixed(2)];
  const table = [head, ...rows.map(([rule, t]) => line(rule, t)), line('overall', all)];
  const widths = head.map((_, c) => Math.max(...table.map((r) => String(r[c]).length)));
  for (const r of table) console.log('   ' + r.map((v, c) => (c === 0 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join('  '));
}

function tsvCell(text) {
  return String(text).replace(/[\t\n]/g, ' ');
}

async function main() {
  const opts = options();
  const corpus = loadCorpus(opts.repos);
  const reviewed = loadReviewed();
  console.log(`bench:real — ${corpus.length} repositories in ${opts.corpus}, Node ${process.version}, ${availableParallelism()} cores`);
  mkdirSync(opts.corpus, { recursive: true });

  const checked = [];
  const unchecked = [];
  const findings = [];
  const started = performance.now();
  console.log('\nrepository                                  files  parsed   time    findings (test files)');
  for (const entry of corpus) {
    const reason = ensureSnapshot(entry, opts.corpus, opts.mirrors);
    if (reason) {
      console.log(`   ${entry.repo}: SKIPPED, ${reason}`);
      unchecked.push(entry.repo);
      continue;
    }
    const result = await checkRepo(entry, opts.corpus);
    const repoFindings = distinct(result.findings);
    const inTests = repoFindings.filter((f) => isTestFile(f.file)).length;
    console.log(`   ${entry.repo.padEnd(40)} ${String(result.files).padStart(6)} ${String(result.parsed).padStart(6)} ` +
      `${(result.ms / 1000).toFixed(1).padStart(6)} s ${String(repoFindings.length - inTests).padStart(6)} (${inTests})` +
      (result.skipped ? `  ${result.skipped} files not analysed` : ''));
    checked.push(entry.repo);
    findings.push(...repoFindings);
  }
  console.log(`   total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (checked.length === 0) throw new SetupError('no repository could be checked (see above)');

  const production = findings.filter((f) => !isTestFile(f.file));
  const inTests = findings.filter((f) => isTestFile(f.file));
  const nonTest = tally(production, reviewed);
  printTable('Non-test files (the gate: precision = (real + deliberate) / reviewed)', nonTest);
  printTable('Test files', tally(inTests, reviewed));

  // Recall: the reviewed real breaks of the checked repositories that are not emitted now.
  const emitted = new Set(findings.map(keyOf));
  const realRows = [...reviewed.values()].filter((r) => checked.includes(r.repo) && (r.verdict === 'real' || r.verdict === 'missed'));
  const absent = realRows.filter((r) => !emitted.has(keyOf(r)));
  const found = realRows.length - absent.length;
  console.log(`\nRecall: ${found} of ${realRows.length} reviewed real breaks are found` +
    (realRows.length ? ` (${(found / realRows.length).toFixed(2)})` : ''));
  for (const r of absent) {
    console.log(`   ${r.verdict === 'real' ? 'LOST  ' : 'MISSED'} ${r.repo} ${r.file}:${r.line} ${r.rule} — ${r.why}`);
  }

  const unreviewed = findings.filter((f) => !reviewed.has(keyOf(f)));
  if (unreviewed.length) {
    console.log(`\nUnreviewed findings: ${unreviewed.length}`);
    for (const f of unreviewed) console.log(`   ${f.repo} ${f.file}:${f.line} ${f.rule} ${f.message}`);
  }
  if (opts.writeUnreviewed) {
    const rows = unreviewed.map((f) => [f.repo, f.file, f.line, f.rule, '', '', f.message].map(tsvCell).join('\t'));
    writeFileSync(opts.writeUnreviewed, [[...TSV_COLUMNS, 'message'].join('\t'), ...rows].join('\n') + '\n');
    console.log(`\nWrote ${rows.length} unreviewed findings to ${opts.writeUnreviewed}`);
  }

  const overall = precision(nonTest.all);
  const problems = [];
  if (unreviewed.length) problems.push(`${unreviewed.length} unreviewed findings`);
  // No reviewed finding at all (nothing emitted, or nothing reviewed yet) leaves precision undefined, not failed.
  if (overall < PRECISION_TARGET) problems.push(`precision ${overall.toFixed(2)} < ${PRECISION_TARGET}`);
  if (unchecked.length) problems.push(`not checked: ${unchecked.join(', ')}`);
  // A real break the analyzer found once and no longer finds is a regression, whatever precision says.
  const lost = absent.filter((r) => r.verdict === 'real');
  if (lost.length) problems.push(`${lost.length} real break(s) no longer found`);
  console.log(problems.length ? `\nGate failed: ${problems.join('; ')}.` : `\nGate passed: precision ${Number.isNaN(overall) ? '-' : overall.toFixed(2)}, every finding reviewed, no real break lost.`);
  process.exitCode = unchecked.length ? 2 : problems.length ? 1 : 0;
}

try {
  await main();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(`bench:real: ${error.message}`);
  process.exitCode = 2;
}
