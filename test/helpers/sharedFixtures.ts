// The reference profiles and traces from public projects (test/fixtures/shared, copied unchanged with
// their licences noted in its README), so the tests do not depend on where the checkout sits.

import { join } from 'node:path';

export const SHARED_FIXTURES = join(__dirname, '..', 'fixtures', 'shared');

export function sharedFixture(...parts: string[]): string {
  return join(SHARED_FIXTURES, ...parts);
}
