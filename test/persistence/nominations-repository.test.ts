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
      kind: 'created',
      eventsDue: [],
    });
    const before = await r.get('cannes_2025:competition:tt0000001');
    expect(await r.record(nomination(), 'tt0000001', new Date('2026-11-23T11:00:00Z'))).toEqual({
      kind: 'unchanged',
      eventsDue: [],
    });
    expect(await r.get('cannes_2025:competition:tt0000001')).toEqual(before);
    expect(await db.collection('nominations').countDocuments()).toBe(1);
  });

  it('when the film of the same version now resolves to another movie, then the nomination is re-linked and both movies are owed an event', async () => {
    const { repo: r } = await repo();
    await r.record(nomination(), 'title:a film:2025');
    expect(await r.record(nomination(), 'tt0000001')).toEqual({
      kind: 'relinked',
      movedFrom: 'title:a film:2025',
      eventsDue: [
        { movieKey: 'title:a film:2025', producedAt: 1_000 },
        { movieKey: 'tt0000001', producedAt: 1_000 },
      ],
    });
    expect((await r.get('cannes_2025:competition:tt0000001'))?.movieKey).toBe('tt0000001');
  });

  it('when a newer version says the film won, then it is applied, and a replay of the older version is stale and does not undo it', async () => {
    const { repo: r } = await repo();
    await r.record(nomination(), 'tt0000001');
    expect(await r.record(nomination({ won: true, producedAt: 2_000 }), 'tt0000001')).toEqual({
      kind: 'applied',
      eventsDue: [],
    });
    expect(await r.record(nomination({ won: false, producedAt: 1_000 }), 'tt0000001')).toEqual({
      kind: 'stale',
      storedProducedAt: 2_000,
      eventsDue: [],
    });
    const stored = await r.get('cannes_2025:competition:tt0000001');
    expect(stored?.won).toBe(true);
    expect(stored?.producedAt).toBe(2_000);
  });

  it('when a newer version names another film and category, then every announced field and the link are replaced, and both movies are owed an event until announced', async () => {
    const { repo: r } = await repo();
    await r.record(nomination(), 'tt0000001', new Date('2026-11-23T10:00:00Z'));
    const newer = nomination({
      category: 'un_certain_regard',
      festival: 'cannes_2026',
      editionYear: 2026,
      film: {
        imdbId: 'tt0000002',
        title: 'Another Film',
        originalTitle: 'Autre',
        year: 2026,
        directors: ['B'],
      },
      people: ['B', 'C'],
      won: true,
      critical: true,
      producedAt: 2_000,
    });
    const result = await r.record(newer, 'tt0000002', new Date('2026-11-23T11:00:00Z'));
    expect(result).toEqual({
      kind: 'applied',
      movedFrom: 'tt0000001',
      eventsDue: [
        { movieKey: 'tt0000001', producedAt: 2_000 },
        { movieKey: 'tt0000002', producedAt: 2_000 },
      ],
    });
    const { nominationId, ...announced } = newer;
    expect(await r.get(nominationId)).toMatchObject({
      ...announced,
      movieKey: 'tt0000002',
      createdAt: new Date('2026-11-23T10:00:00Z'),
      linkedAt: new Date('2026-11-23T11:00:00Z'),
    });
    expect(await r.findByMovie('tt0000001')).toEqual([]);

    // A redelivery before the events were published still owes them; once announced, no more.
    expect((await r.record(newer, 'tt0000002')).eventsDue).toHaveLength(2);
    await r.eventAnnounced(nominationId, { movieKey: 'tt0000001', producedAt: 2_000 });
    await r.eventAnnounced(nominationId, { movieKey: 'tt0000001', producedAt: 2_000 });
    expect(await r.record(newer, 'tt0000002')).toEqual({
      kind: 'unchanged',
      eventsDue: [{ movieKey: 'tt0000002', producedAt: 2_000 }],
    });
  });

  it('when the same producedAt comes with other content, then it is a conflict naming the fields and nothing changes', async () => {
    const { repo: r } = await repo();
    await r.record(nomination(), 'tt0000001');
    const before = await r.get('cannes_2025:competition:tt0000001');
    const other = nomination({
      category: 'shorts',
      film: { imdbId: 'tt0000002', title: 'A Film', originalTitle: null, year: 2025, directors: ['Someone'] },
    });
    expect(await r.record(other, 'tt0000002')).toEqual({
      kind: 'conflict',
      storedProducedAt: 1_000,
      fields: ['category', 'film.imdbId'],
      eventsDue: [],
    });
    expect(await r.get('cannes_2025:competition:tt0000001')).toEqual(before);
  });

  it('when several instances record the same nomination at once, then exactly one document is created', async () => {
    const { repo: r, db } = await repo();
    const results = await Promise.all(Array.from({ length: 8 }, () => r.record(nomination(), 'tt0000001')));
    expect(results.filter((x) => x.kind === 'created')).toHaveLength(1);
    expect(results.filter((x) => x.kind === 'unchanged')).toHaveLength(7);
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
