// Where captures are saved (`goTraceLens.capture.folder`, default `<workspace>/.pprof`), whether that is
// inside the workspace (for "Reveal in Explorer View"), and how settings that decide where requests go
// or files land ignore workspace values in an untrusted workspace.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveCaptureFolder } from '../../client/src/capture/captureFolder';
import { trustedSettingValue } from '../../common/settings';

const WS = '/home/dev/shop';
const OTHER = '/home/dev/lib';
const base = { workspaceFolders: [WS, OTHER], home: '/home/dev', fallback: '/state/captures' };

describe('resolveCaptureFolder', () => {
  test('default: .pprof in the first workspace folder', () => {
    assert.deepEqual(resolveCaptureFolder({ ...base, setting: '' }), { folder: join(WS, '.pprof'), workspaceFolder: WS, relativePath: '.pprof' });
    assert.deepEqual(resolveCaptureFolder({ ...base, setting: undefined }).folder, join(WS, '.pprof'));
  });

  test('a relative path is taken from the first workspace folder', () => {
    assert.deepEqual(resolveCaptureFolder({ ...base, setting: 'profiles/captured' }), { folder: join(WS, 'profiles/captured'), workspaceFolder: WS, relativePath: 'profiles/captured' });
  });

  test('${workspaceFolder} and ~ are expanded', () => {
    assert.equal(resolveCaptureFolder({ ...base, setting: '${workspaceFolder}/out' }).folder, join(WS, 'out'));
    assert.deepEqual(resolveCaptureFolder({ ...base, setting: '~/captures' }), { folder: '/home/dev/captures' });
  });

  test('an absolute path inside another workspace folder is still inside the workspace', () => {
    assert.deepEqual(resolveCaptureFolder({ ...base, setting: `${OTHER}/p` }), { folder: `${OTHER}/p`, workspaceFolder: OTHER, relativePath: 'p' });
  });

  test('a folder outside every workspace folder (or next to it, sharing a prefix) is outside', () => {
    assert.deepEqual(resolveCaptureFolder({ ...base, setting: '/tmp/captures' }), { folder: '/tmp/captures' });
    assert.deepEqual(resolveCaptureFolder({ ...base, setting: '/home/dev/shop-captures' }), { folder: '/home/dev/shop-captures' });
    assert.deepEqual(resolveCaptureFolder({ ...base, setting: '../elsewhere' }), { folder: '/home/dev/elsewhere' });
  });

  test('the workspace folder itself is inside, with an empty relative path', () => {
    assert.deepEqual(resolveCaptureFolder({ ...base, setting: '.' }), { folder: WS, workspaceFolder: WS, relativePath: '' });
  });

  test('with no folder open: the extension storage, unless the setting is absolute', () => {
    const none = { ...base, workspaceFolders: [] };
    assert.deepEqual(resolveCaptureFolder({ ...none, setting: '' }), { folder: '/state/captures' });
    assert.deepEqual(resolveCaptureFolder({ ...none, setting: 'rel' }), { folder: '/state/captures' });
    assert.deepEqual(resolveCaptureFolder({ ...none, setting: '${workspaceFolder}/x' }), { folder: '/state/captures' });
    assert.deepEqual(resolveCaptureFolder({ ...none, setting: '/abs' }), { folder: '/abs' });
  });
});

describe('trustedSettingValue', () => {
  const inspection = { defaultValue: '', globalValue: '/mine', workspaceValue: '/theirs' };

  test('a trusted workspace uses its own value first', () => {
    assert.deepEqual(trustedSettingValue(inspection, true), { value: '/theirs', ignoredWorkspaceValue: false });
    assert.deepEqual(trustedSettingValue({ ...inspection, workspaceFolderValue: '/folder' }, true), { value: '/folder', ignoredWorkspaceValue: false });
  });

  test('an untrusted workspace falls back to the user value and says it ignored one', () => {
    assert.deepEqual(trustedSettingValue(inspection, false), { value: '/mine', ignoredWorkspaceValue: true });
    assert.deepEqual(trustedSettingValue({ defaultValue: '', workspaceFolderValue: '/f' }, false), { value: '', ignoredWorkspaceValue: true });
  });

  test('nothing ignored when the workspace sets nothing', () => {
    assert.deepEqual(trustedSettingValue({ defaultValue: 256 }, false), { value: 256, ignoredWorkspaceValue: false });
    assert.deepEqual(trustedSettingValue(undefined, false), { value: undefined, ignoredWorkspaceValue: false });
  });
});
