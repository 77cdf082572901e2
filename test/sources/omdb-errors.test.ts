import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { omdbErrorMeaning, omdbErrorMessages } from '../../src/sources/omdb-errors.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The rows of the README's OMDb table: message → meaning. */
function readmeTable(): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const m of readme.matchAll(/^\| `([^`]+)` \| (not_found|auth|quota|unclear) \|/gm))
    rows[m[1] ?? ''] = m[2] ?? '';
  return rows;
}

describe('OMDb error messages', () => {
  it('when the README lists the meanings, then its table is the code table, row for row', () => {
    expect(readmeTable()).toEqual(Object.fromEntries(omdbErrorMessages.map((e) => [e.message, e.meaning])));
  });

  it('when a message comes with other spacing or case, then it still has its meaning; an unknown one has none', () => {
    expect(omdbErrorMeaning(' error getting data. ')).toBe('not_found');
    expect(omdbErrorMeaning('Request limit reached!')).toBe('quota');
    expect(omdbErrorMeaning('Something went wrong.')).toBe('unclear');
    expect(omdbErrorMeaning('The database is on fire.')).toBeUndefined();
  });
});
