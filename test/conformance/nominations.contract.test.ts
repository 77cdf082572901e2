/**
 * The nomination identity contract on the real server: versions of one nomination id
 * written at once from several instances (a retry-topic copy beside a fresh one, two
 * consumers of different partitions: versions with different films have different keys)
 * end with the newest version, whole, whatever the order.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Nomination } from '../../src/domain/nomination.js';
import { NominationsRepository } from '../../src/persistence/nominations-repository.js';
import { sharedStore } from './store-fixture.js';

function version(id: string, n: number): Nomination {
  return {
    nominationId: id,
    festival: `cannes_${2020 + n}`,
    editionYear: 2020 + n,
    category: `category-${n}`,
    film: {
      imdbId: `tt000000${n}`,
      title: `Film ${n}`,
      originalTitle: n % 2 === 0 ? null : `Original ${n}`,
      year: 2020 + n,
      directors: [`Director ${n}`],
    },
    people: [`Person ${n}`, `Other ${n}`],
    won: n % 2 === 0,
    critical: n === 3,
    producedAt: 1_000 * n,
  };
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('nomination identity contract', () => {
  it('when three versions of one id (and a second copy of two of them) race from 4 instances, 20 rounds in random order, then the newest version is stored whole every time', async () => {
    const { db, views } = await sharedStore(4, 'c-identity');
    const repos = views.map((view) => new NominationsRepository(view));
    const failures: string[] = [];
    for (let round = 0; round < 20; round += 1) {
      const id = `cannes:competition:round-${round}`;
      const calls = shuffled([1, 2, 3, 2, 3]);
      const results = await Promise.all(
        calls.map(async (n, i) => {
          await sleep(Math.floor(Math.random() * 4));
          return { n, result: await repos[i % repos.length]!.record(version(id, n), `tt000000${n}`) };
        }),
      );
      const stored = await repos[0]!.get(id);
      const { nominationId: _, ...newest } = version(id, 3);
      try {
        expect(stored).toMatchObject({ ...newest, movieKey: 'tt0000003' });
        expect(results.filter((r) => r.result.kind === 'created')).toHaveLength(1);
        expect(results.filter((r) => r.result.kind === 'conflict')).toEqual([]);
        // Every movie the nomination passed through and left is owed an event, and so is the last.
        const moves = results.flatMap((r) =>
          r.result.kind === 'applied' && r.result.movedFrom !== undefined ? [r.result.movedFrom] : [],
        );
        const owed = new Set((stored?.eventsDue ?? []).map((d) => d.movieKey));
        for (const key of moves) expect(owed.has(key)).toBe(true);
        if (moves.length > 0) expect(owed.has('tt0000003')).toBe(true);
      } catch (error) {
        failures.push(`round ${round}, order ${calls.join(',')}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await db.collection('nominations').countDocuments({})).toBe(20);
  }, 120_000);

  it('when an older version races a newer one, then the older one reports stale or is overwritten, never the reverse', async () => {
    const { views } = await sharedStore(2, 'c-identity-pair');
    const repos = views.map((view) => new NominationsRepository(view));
    for (let round = 0; round < 20; round += 1) {
      const id = `cannes:competition:pair-${round}`;
      const newerFirst = Math.random() < 0.5;
      const [older, newer] = await Promise.all([
        (async () => {
          if (newerFirst) await sleep(Math.floor(Math.random() * 3));
          return repos[0]!.record(version(id, 1), 'tt0000001');
        })(),
        (async () => {
          if (!newerFirst) await sleep(Math.floor(Math.random() * 3));
          return repos[1]!.record(version(id, 2), 'tt0000002');
        })(),
      ]);
      expect([older.kind, newer.kind].sort()).toSatisfy(
        (kinds: string[]) =>
          (kinds[0] === 'applied' && kinds[1] === 'created') ||
          (kinds[0] === 'created' && kinds[1] === 'stale'),
      );
      expect(await repos[0]!.get(id)).toMatchObject({
        producedAt: 2_000,
        movieKey: 'tt0000002',
        category: 'category-2',
      });
    }
  }, 60_000);
});
