import { describe, expect, it } from 'vitest';
import { testDb } from '../helpers/mongo.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { NominationsRepository } from '../../src/persistence/nominations-repository.js';
import type { Nomination } from '../../src/domain/nomination.js';

function nomination(overrides: Partial<Nomination> = {}): Nomination {
  return {
    nominationId: 'cannes_2025:competition:tt0000001',
    festival: 'cannes_2025',
    editionYear: 2025,
    category: 'competition',
    film: { imdbId: 'tt0000001', title: 'A Film', originalTitle: null, year: 2025, directors: ['Someone'] },
    people: ['Someone'],
    won: false,
    critical: false,
    producedAt: 1_000,
    ...overrides,
  };
}

async function repo(): Promise<{
  repo: NominationsRepository;
  db: Awaited<ReturnType<typeof testDb>>['db'];
}> {
  const { db } = await testDb('nominations');
  await ensureIndexes(db);
  return { repo: new NominationsRepository(db), db };
}

describe('NominationsRepository', () => {
  it('when the same nomination is recorded twice, then one document exists and the second call changes nothing', async () => {
    const { repo: r, db } = await repo();
    expect(await r.record(nomination(), 'tt0000001', new Date('2026-11-23T10:00:00Z'))).toEqual({
      created: true,
      relinked: false,
      updated: false,
    });
    const before = await r.get('cannes_2025:competition:tt0000001');
    expect(await r.record(nomination(), 'tt0000001', new Date('2026-11-23T11:00:00Z'))).toEqual({
      created: false,
      relinked: false,
      updated: false,
    });
    expect(await r.get('cannes_2025:competition:tt0000001')).toEqual(before);
    expect(await db.collection('nominations').countDocuments()).toBe(1);
  });

  it('when the movie of a nomination changes, then the nomination is re-linked', async () => {
    const { repo: r } = await repo();
    await r.record(nomination(), 'title:a film:2025');
    expect(await r.record(nomination(), 'tt0000001')).toMatchObject({ relinked: true });
    expect((await r.get('cannes_2025:competition:tt0000001'))?.movieKey).toBe('tt0000001');
  });

  it('when a newer event says the film won, then won is updated, and a replay of the older event does not undo it', async () => {
    const { repo: r } = await repo();
    await r.record(nomination(), 'tt0000001');
    expect(await r.record(nomination({ won: true, producedAt: 2_000 }), 'tt0000001')).toMatchObject({
      updated: true,
    });
    expect(await r.record(nomination({ won: false, producedAt: 1_000 }), 'tt0000001')).toMatchObject({
      updated: false,
    });
    const stored = await r.get('cannes_2025:competition:tt0000001');
    expect(stored?.won).toBe(true);
    expect(stored?.category).toBe('competition');
  });

  it('when several instances record the same nomination at once, then exactly one document is created', async () => {
    const { repo: r, db } = await repo();
    const results = await Promise.all(Array.from({ length: 8 }, () => r.record(nomination(), 'tt0000001')));
    expect(results.filter((x) => x.created)).toHaveLength(1);
    expect(await db.collection('nominations').countDocuments()).toBe(1);
  });

  it('when a title-keyed film gets its IMDb ID, then relinkMovie moves all its nominations', async () => {
    const { repo: r } = await repo();
    await r.record(nomination({ nominationId: 'a' }), 'title:a film:2025');
    await r.record(nomination({ nominationId: 'b' }), 'title:a film:2025');
    expect(await r.relinkMovie('title:a film:2025', 'tt0000001')).toBe(2);
    expect((await r.findByMovie('tt0000001')).map((n) => n.nominationId)).toEqual(['a', 'b']);
    expect(await r.countByFestival('cannes_2025')).toBe(2);
  });
});
