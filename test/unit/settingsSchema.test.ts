// The settings schema (common/settings.ts) and package.json's `contributes.configuration` cannot drift:
// the same keys, types, defaults and enums, the same restricted settings, the rules' severities for every
// rule; every setting reads its own default back, accepts package.json's bounds, and refuses a value of
// the wrong type with a warning that names it. No code reads a setting by a key of its own.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS } from '../../common/rules';
import {
  ALL_SETTINGS, AnalysisSettings, BackendSettings, CaptureSettings, GoToolSettings, LanguageServerSettings, RULE_SEVERITIES, SETTINGS_SECTION, sectionReader,
  type Setting,
} from '../../common/settings';
import { DEFAULT_CAPTURE_TIMEOUT_MS, DEFAULT_MAX_CAPTURE_BYTES } from '../../core/capture/index.node';
import { REPO_ROOT } from '../helpers/goToolchain';

interface Declared {
  type: string;
  default: unknown;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  properties?: Record<string, { enum?: string[] }>;
  additionalProperties?: boolean;
}

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Declared> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const declared = pkg.contributes.configuration.properties;

function readQuietly<T>(setting: Setting<T>, raw: unknown): { value: T; warnings: string[] } {
  const warnings: string[] = [];
  return { value: setting.read(raw, (m) => warnings.push(m)), warnings };
}

test('the schema and package.json declare the same settings, each once', () => {
  const keys = ALL_SETTINGS.map((s) => s.key);
  assert.equal(new Set(keys).size, keys.length, 'a key is in the schema twice');
  assert.deepEqual([...keys].sort(), Object.keys(declared).sort());
  for (const key of keys) assert.ok(key.startsWith(`${SETTINGS_SECTION}.`), key);
});

test('each setting has package.json\'s type, default and enum', () => {
  for (const setting of ALL_SETTINGS) {
    const d = declared[setting.key]!;
    assert.equal(setting.type, d.type, `${setting.key}: type`);
    assert.deepEqual(setting.default, d.default, `${setting.key}: default`);
    assert.deepEqual(setting.enum, d.enum, `${setting.key}: enum`);
  }
});

test('the restricted settings are package.json\'s restrictedConfigurations', () => {
  const restricted = ALL_SETTINGS.filter((s) => s.restricted).map((s) => s.key).sort();
  assert.deepEqual(restricted, [...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort());
  assert.deepEqual(restricted, [CaptureSettings.caFile.key, CaptureSettings.folder.key, CaptureSettings.endpoints.key, BackendSettings.backends.key, GoToolSettings.goExecutable.key].sort());
});

test('goTraceLens.rules declares every rule with the severities the schema accepts, and nothing else', () => {
  const rules = declared[AnalysisSettings.rules.key]!;
  assert.equal(rules.additionalProperties, false);
  assert.deepEqual(Object.keys(rules.properties ?? {}).sort(), [...RULE_IDS].sort());
  for (const id of RULE_IDS) assert.deepEqual(rules.properties![id]!.enum, RULE_SEVERITIES, id);
  const all = Object.fromEntries(RULE_IDS.map((id, i) => [id, RULE_SEVERITIES[i % RULE_SEVERITIES.length]]));
  assert.deepEqual(readQuietly(AnalysisSettings.rules, all), { value: all, warnings: [] });
});

test('every setting reads its default back, and nothing (unset) as its default, without a warning', () => {
  for (const setting of ALL_SETTINGS) {
    assert.deepEqual(readQuietly(setting, setting.default), { value: setting.default, warnings: [] }, setting.key);
    assert.deepEqual(readQuietly(setting, undefined), { value: setting.default, warnings: [] }, setting.key);
  }
  // Read from a section as the server pulls it, too: nested by the key's dots.
  const read = sectionReader(undefined, () => assert.fail('no warnings for an empty section'));
  for (const setting of ALL_SETTINGS) assert.deepEqual(read(setting), setting.default, setting.key);
});

test('package.json\'s bounds are accepted; a value of the wrong type gives the default and a warning naming the setting', () => {
  const wrong: Record<string, unknown> = { number: 'fast', boolean: 'yes', string: 42, array: 'not a list' };
  for (const setting of ALL_SETTINGS) {
    const d = declared[setting.key]!;
    for (const bound of [d.minimum, d.maximum]) {
      if (bound !== undefined) assert.deepEqual(readQuietly(setting, bound), { value: bound, warnings: [] }, `${setting.key}: ${bound}`);
    }
    if (!(setting.type in wrong)) continue;
    const { value, warnings } = readQuietly(setting, wrong[setting.type]);
    assert.deepEqual(value, setting.default, setting.key);
    assert.equal(warnings.length, 1, setting.key);
    assert.ok(warnings[0]!.startsWith(setting.key), warnings[0]);
  }
});

test('the capture settings\' defaults are the capture core\'s (the CLI uses those)', () => {
  assert.equal(CaptureSettings.maxSizeMb.default * 1024 * 1024, DEFAULT_MAX_CAPTURE_BYTES);
  assert.equal(CaptureSettings.timeoutSeconds.default * 1000, DEFAULT_CAPTURE_TIMEOUT_MS);
});

test('the language client\'s trace setting is the one vscode-languageclient reads for the client id', () => {
  assert.equal(LanguageServerSettings.traceServer.key, `${SETTINGS_SECTION}.trace.server`);
  const languageClient = readFileSync(join(REPO_ROOT, 'client', 'src', 'languageClient.ts'), 'utf8');
  assert.match(languageClient, /new LanguageClient\(SETTINGS_SECTION,/);
});

test('no host code names a setting key: they are read through the schema', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
    });
  const files = [...sources(join(REPO_ROOT, 'client', 'src')), ...sources(join(REPO_ROOT, 'server', 'src')), ...sources(join(REPO_ROOT, 'common'))].filter((f) => !f.endsWith(join('common', 'settings.ts')));
  for (const file of files) {
    // Code only: comments may name a setting for the reader.
    const text = readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line)).join('\n');
    for (const { key } of ALL_SETTINGS) {
      for (const quote of ["'", '"', '`']) assert.ok(!text.includes(`${quote}${key}${quote}`), `${file} names ${key}`);
    }
  }
});
