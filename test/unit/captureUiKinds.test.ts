// The kinds as the capture UI shows them (picker entries, subjects, per-kind command titles), the
// durations a user types, a key binding's arguments, and the capture parts of package.json: every
// command the feature registers is declared with the Go Trace Lens category, every per-kind command
// exists with its title, the settings exist, the URL-deciding ones are restricted in untrusted workspaces.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CaptureCommands, CaptureKindCommands, CaptureViews, VIEW_CONTAINER_ID } from '../../common/ids';
import { CaptureSettings } from '../../common/settings';
import { CAPTURE_KINDS, findCaptureKind } from '../../core/capture/captureKinds';
import { parseCaptureCommandArgs } from '../../client/src/capture/captureCommandArgs';
import { kindChoices, kindCommandTitle, kindSubject, parseDurationInput, suggestedSeconds } from '../../client/src/capture/kindChoices';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string; name: string }[]>;
    menus: Record<string, { command: string; when?: string }[]>;
  };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};

const kind = (id: string) => findCaptureKind(id)!;

describe('kinds in the UI', () => {
  test('the picker offers every kind of the core, in its order, with the default duration of timed kinds', () => {
    const choices = kindChoices();
    assert.deepEqual(choices.map((c) => c.captureKind.id), CAPTURE_KINDS.map((k) => k.id));
    assert.equal(choices[0]!.label, 'CPU profile');
    assert.match(choices[0]!.description, /30 s by default/);
    assert.equal(choices.find((c) => c.captureKind.id === 'trace')!.label, 'Execution trace');
    assert.doesNotMatch(choices.find((c) => c.captureKind.id === 'heap')!.description, /by default/);
  });

  test('subjects and command titles read as a person writes them', () => {
    assert.equal(kindSubject(kind('heap-delta')), 'Delta heap profile');
    assert.equal(kindCommandTitle(kind('cpu')), 'Capture CPU Profile…');
    assert.equal(kindCommandTitle(kind('trace')), 'Capture Execution Trace…');
    assert.equal(kindCommandTitle(kind('block-delta')), 'Capture Delta Block Profile…');
  });

  test('the duration offered is the one used last for the kind, else its default', () => {
    assert.equal(suggestedSeconds(kind('cpu'), undefined), 30);
    assert.equal(suggestedSeconds(kind('trace'), undefined), 5);
    assert.equal(suggestedSeconds(kind('cpu'), 12), 12);
    assert.equal(suggestedSeconds(kind('cpu'), -4), 30);
    assert.equal(suggestedSeconds(kind('cpu'), 'x'), 30);
  });
});

describe('parseDurationInput', () => {
  const cases: [string, number][] = [['30', 30], [' 45s ', 45], ['2m', 120], ['1m30s', 90], ['1 h', 3600], ['2 min 5 s', 125], ['86400', 86400]];
  for (const [text, seconds] of cases) test(`"${text}" is ${seconds} s`, () => assert.deepEqual(parseDurationInput(text), { seconds }));

  const refusals: [string, RegExp][] = [
    ['', /No duration/],
    ['0', /at least 1 second/],
    ['86401', /At most 86400 seconds/],
    ['2d', /"d" is not a unit/],
    ['1.5', /is not a duration/],
    ['-3', /is not a duration/],
    ['ten', /is not a duration/],
  ];
  for (const [text, message] of refusals) {
    test(`"${text}" is refused with what to type`, () => {
      const parsed = parseDurationInput(text);
      assert.ok('error' in parsed);
      assert.match(parsed.error, message);
      assert.match(parsed.error, /e\.g\. 30|86400/);
    });
  }

  test('any whole number of seconds in range reads back as itself, with or without a unit (fuzzed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 86_400 }), fc.constantFrom('', 's', ' s', 'sec', ' seconds'), (n, unit) => {
        assert.deepEqual(parseDurationInput(`${n}${unit}`), { seconds: n });
      }),
      { numRuns: 2000 },
    );
  });

  test('arbitrary text is either a duration in range or an error, never a throw (fuzzed)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const parsed = parseDurationInput(text);
        if ('seconds' in parsed) assert.ok(Number.isInteger(parsed.seconds) && parsed.seconds >= 1 && parsed.seconds <= 86_400);
        else assert.ok(parsed.error.length > 0);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseCaptureCommandArgs', () => {
  test('no arguments, or a non-object (a Uri from a menu), asks for everything', () => {
    assert.deepEqual(parseCaptureCommandArgs(undefined), { args: {} });
    assert.deepEqual(parseCaptureCommandArgs(new URL('file:///x')), { args: {} });
    assert.deepEqual(parseCaptureCommandArgs(undefined, kind('heap')), { args: { kind: kind('heap') } });
  });

  test('a key binding can give kind, endpoint and seconds', () => {
    assert.deepEqual(parseCaptureCommandArgs({ kind: 'cpu', endpoint: ' shop ', seconds: 10 }), { args: { kind: kind('cpu'), endpoint: 'shop', seconds: 10 } });
    assert.deepEqual(parseCaptureCommandArgs({ endpoint: 'http://127.0.0.1:6060' }, kind('trace')), { args: { kind: kind('trace'), endpoint: 'http://127.0.0.1:6060' } });
  });

  const refusals: [unknown, string | undefined, RegExp][] = [
    [{ kind: 'disk' }, undefined, /"kind" must be one of cpu, heap/],
    [{ kind: 'heap' }, 'cpu', /captures cpu; "kind": "heap" does not fit/],
    [{ seconds: 2.5 }, 'cpu', /whole number from 1 to 86400/],
    [{ seconds: 10 }, 'heap', /snapshot and takes no "seconds"/],
    [{ endpoint: '' }, undefined, /name of a configured endpoint or a URL/],
    [{ endpiont: 'shop' }, undefined, /Unknown capture argument "endpiont"/],
  ];
  for (const [raw, fixed, message] of refusals) {
    test(`refuses ${JSON.stringify(raw)}${fixed ? ` for ${fixed}` : ''} with what is wrong`, () => {
      const parsed = parseCaptureCommandArgs(raw, fixed ? kind(fixed) : undefined);
      assert.ok('error' in parsed);
      assert.match(parsed.error, message);
    });
  }
});

describe('package.json declares the capture feature', () => {
  const commands = new Map(pkg.contributes.commands.map((c) => [c.command, c]));

  test('every capture command, with the Go Trace Lens category', () => {
    for (const id of [...Object.values(CaptureCommands), ...Object.values(CaptureKindCommands)]) {
      const declared = commands.get(id);
      assert.ok(declared, `${id} is not in contributes.commands`);
      assert.equal(declared.category, 'Go Trace Lens', id);
    }
    assert.equal(commands.get(CaptureCommands.captureProfile)!.title, 'Capture Profile…');
  });

  test('one command per kind, titled for the kind', () => {
    assert.deepEqual(Object.keys(CaptureKindCommands).sort(), CAPTURE_KINDS.map((k) => k.id).sort());
    for (const k of CAPTURE_KINDS) assert.equal(commands.get(CaptureKindCommands[k.id])!.title, kindCommandTitle(k));
  });

  test('the settings exist, and those that decide where requests go or files land are restricted', () => {
    for (const { key } of Object.values(CaptureSettings)) assert.ok(pkg.contributes.configuration.properties[key], `${key} is not declared`);
    const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const { key } of [CaptureSettings.endpoints, CaptureSettings.folder, CaptureSettings.caFile]) assert.ok(restricted.includes(key), `${key} is not restricted`);
  });

  test('the Captures view lives in the Go Trace Lens activity-bar container, whose icon ships', () => {
    const container = pkg.contributes.viewsContainers.activitybar.find((c) => c.id === VIEW_CONTAINER_ID);
    assert.ok(container);
    assert.ok(existsSync(join(ROOT, container.icon)), `${container.icon} does not exist`);
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
    assert.ok(ignore.split('\n').some((line) => line.trim() === '!media/icons/**'), '.vscodeignore must keep media/icons in the package');
    assert.ok(pkg.contributes.views[VIEW_CONTAINER_ID]!.some((v) => v.id === CaptureViews.captures && v.name === 'Captures'));
  });

  test('row commands are hidden from the palette and shown on rows', () => {
    const hidden = pkg.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command);
    for (const id of [CaptureCommands.open, CaptureCommands.delete, CaptureCommands.revealInExplorer, CaptureCommands.revealInOs]) {
      assert.ok(hidden.includes(id), `${id} should not be in the palette`);
      assert.ok(pkg.contributes.menus['view/item/context']!.some((m) => m.command === id && m.when?.includes(`view == ${CaptureViews.captures}`)), `${id} has no row menu`);
    }
  });
});
