import { describe, expect, it } from 'vitest';
import { lineupToNominations, parseCsv, parseLineupCsv } from '../../src/domain/lineup-csv.js';
import { isImdbId } from '../../src/domain/nomination.js';
import { cannesLineup } from '../helpers/lineup.js';

describe('lineup CSV', () => {
  it('when fields are quoted with commas, escaped quotes and newlines, then they parse as one field each', () => {
    const rows = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\n\nlast,,\n');
    expect(rows).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['last', '', ''],
    ]);
  });

  it('when a quoted field never closes, then parsing fails', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(/quoted field/);
  });

  it('when a lineup lacks a required column, then parsing names it', () => {
    expect(() => parseLineupCsv('year,title\n1946,X\n')).toThrow(/original_title, director, imdb_url/);
  });

  it('when the Cannes lineup is read, then every row has a year, a title and an IMDb ID, and quoted director lists split', () => {
    const films = cannesLineup();
    expect(films.length).toBeGreaterThan(1000);
    for (const f of films) {
      expect(f.editionYear).toBeGreaterThanOrEqual(1946);
      expect(f.title.length).toBeGreaterThan(0);
      expect(f.imdbId !== null && isImdbId(f.imdbId), f.title).toBe(true);
    }
    const several = films.filter((f) => f.directors.length > 1);
    expect(several.length).toBeGreaterThan(0);
    for (const f of several) for (const d of f.directors) expect(d).not.toMatch(/^\s|,|\s$/);
    expect(films.filter((f) => f.runtimeMinutes !== null && f.runtimeMinutes > 30).length).toBeGreaterThan(
      films.length * 0.9,
    );
  });

  it('when a lineup becomes nominations, then ids are stable and unique and the festival key holds the edition', () => {
    const films = cannesLineup().filter((f) => f.editionYear === 1994);
    const first = lineupToNominations(films, { festival: 'cannes', category: 'competition', producedAt: 1 });
    const again = lineupToNominations(films, { festival: 'cannes', category: 'competition', producedAt: 2 });
    expect(first.map((n) => n.nominationId)).toEqual(again.map((n) => n.nominationId));
    expect(new Set(first.map((n) => n.nominationId)).size).toBe(films.length);
    for (const n of first) {
      expect(n.festival).toBe('cannes_1994');
      expect(n.nominationId.startsWith(`cannes_1994:competition:${n.film.imdbId}`)).toBe(true);
    }
  });

  it('when IMDb IDs are withheld, then the nomination ids fall back to the title key', () => {
    const films = cannesLineup().filter((f) => f.editionYear === 1994);
    const nominations = lineupToNominations(films, {
      festival: 'cannes',
      category: 'competition',
      producedAt: 1,
      withoutImdbId: true,
    });
    for (const n of nominations) {
      expect(n.film.imdbId).toBeNull();
      expect(n.nominationId).toMatch(/^cannes_1994:competition:title:.+:1994$/);
    }
  });
});
