// Every rule links to its documentation page, and the page has the sections a reader needs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS, ruleDocPath } from '../../common/rules';

const root = join(__dirname, '..', '..');

for (const id of RULE_IDS) {
  test(`${id} has a documentation page with a wrong and a right example`, () => {
    const page = readFileSync(join(root, ruleDocPath(id)), 'utf8');
    assert.match(page, new RegExp(`^# ${id}$`, 'm'));
    for (const heading of ['## What it finds', '## What breaks in the trace', '## Wrong', '## Right']) {
      assert.ok(page.includes(heading), `${ruleDocPath(id)} lacks "${heading}"`);
    }
  });
}
