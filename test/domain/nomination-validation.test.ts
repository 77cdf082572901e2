import { describe, expect, it } from 'vitest';
import { lineupToNominations } from '../../src/domain/lineup-csv.js';
import type { Nomination } from '../../src/domain/nomination.js';
import {
  nominationLimits,
  operatorProblem,
  validateNomination,
} from '../../src/domain/nomination-validation.js';
import { cannesLineup } from '../helpers/lineup.js';

const currentYear = 2026;

function validCannes(): Nomination {
  const films = cannesLineup().filter((f) => f.editionYear === 1994);
  const [first] = lineupToNominations(films, {
    festival: 'cannes',
    category: 'competition',
    producedAt: 1_700_000_000_000,
  });
  if (!first) throw new Error('no 1994 film in the lineup CSV');
  return first;
}

/** A deep copy of a valid nomination with one field replaced. */
function withField(path: string, value: unknown): unknown {
  const record = structuredClone(validCannes()) as unknown as Record<string, unknown>;
  const parts = path.split('.');
  let target = record;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  target[parts.at(-1)!] = value;
  return record;
}

function expectRejected(record: unknown, field: string, reason: RegExp): void {
  const result = validateNomination(record, { currentYear });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.field).toBe(field);
  expect(result.reason).toMatch(reason);
}

describe('validateNomination', () => {
  it('when every film of the Cannes competition CSV is mapped to a nomination, then all of them validate unchanged', () => {
    const films = cannesLineup();
    expect(films).toHaveLength(1808);
    const nominations = lineupToNominations(films, {
      festival: 'cannes',
      category: 'competition',
      producedAt: 1_700_000_000_000,
    });
    const rejected = nominations
      .map((n) => ({ n, result: validateNomination(n, { currentYear }) }))
      .filter(({ result }) => !result.ok)
      .map(({ n, result }) => ({ title: n.film.title, result }));
    expect(rejected).toEqual([]);
    const first = validateNomination(nominations[0], { currentYear });
    expect(first).toEqual({ ok: true, nomination: nominations[0] });
  });

  it('when the same films arrive without IMDb IDs, then they still validate with imdbId null', () => {
    const nominations = lineupToNominations(cannesLineup(), {
      festival: 'cannes',
      category: 'competition',
      producedAt: 1,
      withoutImdbId: true,
    });
    const results = nominations.map((n) => validateNomination(n, { currentYear }));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.every((r) => r.ok && r.nomination.film.imdbId === null)).toBe(true);
  });

  it('when strings carry surrounding spaces and optional fields are missing, then they are trimmed and defaulted', () => {
    const base = validCannes();
    const record = {
      ...base,
      festival: ' cannes_1994 ',
      film: { title: `  ${base.film.title} `, imdbId: '' },
      people: undefined,
      won: undefined,
      critical: undefined,
    };
    const result = validateNomination(record, { currentYear });
    expect(result).toEqual({
      ok: true,
      nomination: {
        ...base,
        festival: 'cannes_1994',
        film: { title: base.film.title, imdbId: null, originalTitle: null, year: null, directors: [] },
        people: [],
        won: false,
        critical: false,
      },
    });
  });

  it('when producedAt decodes as a Date or a bigint, then it becomes epoch milliseconds', () => {
    const fromDate = validateNomination(withField('producedAt', new Date(1_700_000_000_000)), {
      currentYear,
    });
    const fromBigint = validateNomination(withField('producedAt', 1_700_000_000_000n), { currentYear });
    expect(fromDate.ok && fromDate.nomination.producedAt).toBe(1_700_000_000_000);
    expect(fromBigint.ok && fromBigint.nomination.producedAt).toBe(1_700_000_000_000);
  });

  describe('poisoned records', () => {
    it.each(
      (
        [
          ['film.imdbId', 'nm0000001', /IMDb title id/],
          ['film.imdbId', 'tt123', /IMDb title id/],
          ['film.imdbId', 'tt12345678901', /IMDb title id/],
          ['film.imdbId', 'tt0038297/../../admin', /IMDb title id/],
          ['film.title', '   ', /film\.title is empty/],
          [
            'film.title',
            'x'.repeat(nominationLimits.maxTitleLength + 1),
            /longer than 500/,
            '501 characters',
          ],
          ['film.title', '{"$gt": ""}', /JSON object with a "\$" key/],
          ['film.title', '{"a": {"$ne": 1}}', /JSON object with a "\$" key/],
          ['film.title', '$where', /starts with "\$"/],
          ['film.title', 'Pulp\u0000Fiction', /NUL/],
          ['film.originalTitle', '$regex', /starts with "\$"/],
          ['film.year', 1887, /before 1888/],
          ['film.year', currentYear + 6, /after 2031/],
          ['film.year', 1994.5, /whole number/],
          ['film.year', '1994', /must be a number/],
          ['editionYear', 0, /before 1888/],
          ['editionYear', 99999, /after 2031/],
          ['festival', 'Cannes 2025', /festival must be a key/],
          ['festival', '$cannes', /starts with "\$"/],
          ['festival', '', /festival is empty/],
          ['nominationId', { $gt: '' }, /nominationId must be a string/],
          ['nominationId', '$ne', /starts with "\$"/],
          ['category', '{"$exists": true}', /JSON object with a "\$" key/],
          ['film.directors', ['Quentin Tarantino', '$where'], /starts with "\$"/],
          [
            'film.directors',
            Array.from({ length: nominationLimits.maxDirectors + 1 }, (_, i) => `Director ${i}`),
            /more than 50/,
            '51 names',
          ],
          [
            'people',
            Array.from({ length: nominationLimits.maxPeople + 1 }, (_, i) => `Person ${i}`),
            /more than 200/,
            '201 names',
          ],
          ['people', 'Uma Thurman', /list of strings/],
          ['won', 'yes', /true or false/],
          ['producedAt', -1, /non-negative/],
        ] as [string, unknown, RegExp, string?][]
      ).map(([field, value, reason, shown]) => ({
        field,
        value,
        reason,
        shown: shown ?? JSON.stringify(value),
      })),
    )('when $field is $shown, then the record is rejected naming the field', ({ field, value, reason }) => {
      // A bad list entry is reported at its index.
      const path =
        Array.isArray(value) && typeof value[1] === 'string' && value[1].startsWith('$')
          ? `${field}.1`
          : field;
      expectRejected(withField(field, value), path, reason);
    });

    it('when a required field is missing, then the reason names it', () => {
      const record = withField('film.title', undefined);
      expectRejected(record, 'film.title', /film\.title must be a string/);
    });

    it('when the record is not an object at all, then it is rejected as a whole', () => {
      expectRejected('{"nominationId": "x"}', '(record)', /must be a record/);
      expectRejected(null, '(record)', /must be a record/);
    });
  });

  describe('operatorProblem', () => {
    it('when a string only mentions a dollar or braces in prose, then it is allowed', () => {
      expect(operatorProblem('A Fistful of $ Dollars')).toBeNull();
      expect(operatorProblem('{not json}')).toBeNull();
      expect(operatorProblem('{"title": "fine"}')).toBeNull();
      expect(operatorProblem('Les Parapluies de Cherbourg')).toBeNull();
    });
  });
});
