import { describe, expect, it } from 'vitest';
import { testDb } from '../helpers/mongo.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { LookupCache } from '../../src/persistence/lookup-cache.js';

const day = 24 * 3600 * 1000;
const t0 = new Date('2026-11-23T10:00:00Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);

async function cache(): Promise<{ cache: LookupCache; db: Awaited<ReturnType<typeof testDb>>['db'] }> {
  const { db } = await testDb('cache');
  await ensureIndexes(db);
  return { cache: new LookupCache(db, { hitTtlDays: 90, missTtlHours: 24, blockedTtlHours: 6 }), db };
}

describe('LookupCache', () => {
  it('when a hit is stored, then it is served for 90 days and not after', async () => {
    const { cache: c } = await cache();
    await c.set('tmdb', 'imdb:tt0111161', { kind: 'found', value: { tmdbId: 278 } }, t0);
    expect(await c.get('tmdb', 'imdb:tt0111161', later(89 * day))).toMatchObject({
      kind: 'found',
      value: { tmdbId: 278 },
    });
    expect(await c.get('tmdb', 'imdb:tt0111161', later(90 * day + 1))).toBeNull();
  });

  it('when a miss is stored, then it expires after the shorter miss lifetime', async () => {
    const { cache: c } = await cache();
    await c.set('omdb', 'imdb:tt9999999', { kind: 'not_found' }, t0);
    expect(await c.get('omdb', 'imdb:tt9999999', later(23 * 3600 * 1000))).toMatchObject({
      kind: 'not_found',
    });
    expect(await c.get('omdb', 'imdb:tt9999999', later(day + 1))).toBeNull();
  });

  it('when a page is given up as blocked, then that is remembered for the blocked lifetime (6 h here) only', async () => {
    const { cache: c } = await cache();
    await c.set('imdb', 'tt9999999', { kind: 'blocked' }, t0);
    expect(await c.get('imdb', 'tt9999999', later(5 * 3600 * 1000))).toMatchObject({ kind: 'blocked' });
    expect(await c.get('imdb', 'tt9999999', later(6 * 3600 * 1000 + 1))).toBeNull();
  });

  it('when the same lookup is stored twice, then there is one entry holding the latest result', async () => {
    const { cache: c, db } = await cache();
    await c.set('tmdb', 'title:anora:2024', { kind: 'not_found' }, t0);
    await c.set('tmdb', 'title:anora:2024', { kind: 'found', value: { tmdbId: 1064213 } }, later(day));
    expect(await db.collection('lookup_cache').countDocuments()).toBe(1);
    expect(await c.get('tmdb', 'title:anora:2024', later(2 * day))).toMatchObject({
      kind: 'found',
      value: { tmdbId: 1064213 },
    });
  });

  it('when a hit is replaced by a miss, then the stale value is not served with the miss', async () => {
    const { cache: c } = await cache();
    await c.set('tmdb', 'k', { kind: 'found', value: { tmdbId: 1 } }, t0);
    await c.set('tmdb', 'k', { kind: 'not_found' }, t0);
    const entry = await c.get('tmdb', 'k', t0);
    expect(entry).toMatchObject({ kind: 'not_found' });
    expect(entry).not.toHaveProperty('value');
  });

  it('when sources share an identifier, then their entries are kept apart', async () => {
    const { cache: c } = await cache();
    await c.set('tmdb', 'imdb:tt1', { kind: 'found', value: 'tmdb' }, t0);
    await c.set('omdb', 'imdb:tt1', { kind: 'not_found' }, t0);
    expect((await c.get('tmdb', 'imdb:tt1', t0))?.kind).toBe('found');
    expect((await c.get('omdb', 'imdb:tt1', t0))?.kind).toBe('not_found');
  });

  it('when expired entries are purged, then only live ones remain', async () => {
    const { cache: c, db } = await cache();
    await c.set('tmdb', 'hit', { kind: 'found', value: 1 }, t0);
    await c.set('tmdb', 'miss', { kind: 'not_found' }, t0);
    expect(await c.purgeExpired(later(2 * day))).toBe(1);
    expect(await db.collection('lookup_cache').countDocuments()).toBe(1);
  });
});
