import { describe, expect, it } from 'vitest';
import { testDb } from '../helpers/mongo.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { MongoParkedNominations } from '../../src/persistence/parked-nominations.js';
import type { ParkedNomination } from '../../src/resolver/ports.js';

function entry(producedAt: number, title: string): ParkedNomination {
  return {
    nominationId: 'cannes_2025:competition:parked',
    producedAt,
    film: {
      festival: 'cannes_2025',
      editionYear: 2025,
      category: 'competition',
      title,
      year: 2025,
      imdbId: null,
    },
    source: 'tmdb',
    reason: 'GET /find answered 503',
    since: new Date(1_000),
    parkedAt: new Date(2_000),
    tierAttempts: { tmdb: 9 },
    key: Buffer.from(title),
    value: Buffer.from(`value of ${title}`),
  };
}

async function parking(): Promise<MongoParkedNominations> {
  const { db } = await testDb('parked');
  await ensureIndexes(db);
  return new MongoParkedNominations(db);
}

describe('parked nominations', () => {
  it('when an older version of an id is parked after a newer one, then the newer one stays parked', async () => {
    const parked = await parking();
    await parked.park(entry(2_000, 'Newer'));
    await parked.park(entry(1_000, 'Older'));
    expect(await parked.get('cannes_2025:competition:parked')).toMatchObject({
      producedAt: 2_000,
      film: { title: 'Newer' },
      value: Buffer.from('value of Newer'),
    });
    expect(await parked.counts()).toEqual({ tmdb: 1 });
  });

  it('when a newer version is parked after an older one, or the same one again, then it replaces it', async () => {
    const parked = await parking();
    await parked.park(entry(1_000, 'Older'));
    await parked.park(entry(2_000, 'Newer'));
    await parked.park(entry(2_000, 'Newer'));
    expect(await parked.get('cannes_2025:competition:parked')).toMatchObject({
      producedAt: 2_000,
      film: { title: 'Newer' },
    });
  });

  it('when a re-drive removes the version it re-published, then a newer version parked meanwhile stays', async () => {
    const parked = await parking();
    await parked.park(entry(1_000, 'Older'));
    const listed = await parked.list({}, 10);
    await parked.park(entry(2_000, 'Newer'));
    await parked.remove(listed[0]!.nominationId, listed[0]!.producedAt);
    expect(await parked.get('cannes_2025:competition:parked')).toMatchObject({ producedAt: 2_000 });
    await parked.remove('cannes_2025:competition:parked', 2_000);
    expect(await parked.get('cannes_2025:competition:parked')).toBeNull();
  });
});
