import { describe, expect, it } from 'vitest';
import type { Nomination } from '../../src/domain/nomination.js';
import { differingFields, nominationStanding } from '../../src/domain/nomination-identity.js';

const base: Nomination = {
  nominationId: 'cannes_2025:competition:tt0000001',
  festival: 'cannes_2025',
  editionYear: 2025,
  category: 'competition',
  film: { imdbId: 'tt0000001', title: 'A Film', originalTitle: null, year: 2025, directors: ['A', 'B'] },
  people: ['A'],
  won: false,
  critical: false,
  producedAt: 1_000,
};

describe('nomination identity', () => {
  it('when nothing is stored, then the version is new', () => {
    expect(nominationStanding(base, null)).toEqual({ kind: 'new' });
  });

  it('when the producedAt is newer or older, then it is newer or stale whatever the content', () => {
    expect(nominationStanding({ ...base, producedAt: 2_000, won: true }, base)).toEqual({
      kind: 'newer',
      storedProducedAt: 1_000,
    });
    expect(nominationStanding({ ...base, producedAt: 500, category: 'other' }, base)).toEqual({
      kind: 'stale',
      storedProducedAt: 1_000,
    });
  });

  it('when the same producedAt has the same content in another field order, then it is the same version', () => {
    const stored = {
      producedAt: 1_000,
      critical: false,
      won: false,
      people: ['A'],
      film: { directors: ['A', 'B'], year: 2025, title: 'A Film', imdbId: 'tt0000001', originalTitle: null },
      category: 'competition',
      editionYear: 2025,
      festival: 'cannes_2025',
    };
    expect(nominationStanding(base, stored)).toEqual({ kind: 'same' });
    // A stored document without an optional value says the same as one with null.
    const { originalTitle: _, ...withoutOriginal } = stored.film;
    expect(differingFields(base, { ...stored, film: withoutOriginal as Nomination['film'] })).toEqual([]);
  });

  it('when the same producedAt has other content, then it is a conflict naming each differing field', () => {
    const other = {
      ...base,
      won: true,
      people: ['A', 'C'],
      film: { ...base.film, title: 'Another Film', directors: ['B', 'A'] },
    };
    expect(nominationStanding(other, base)).toEqual({
      kind: 'conflict',
      storedProducedAt: 1_000,
      fields: ['people', 'won', 'film.title', 'film.directors'],
    });
  });
});
