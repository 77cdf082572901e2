import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { SourceName } from '../../src/domain/movie.js';
import { GuardedSource } from '../../src/resolver/guarded-source.js';
import type { CachedLookup, LookupCachePort } from '../../src/resolver/ports.js';
import type { LookupOutcome } from '../../src/sources/outcome.js';
import type { LookupQuery, MovieSource } from '../../src/sources/source.js';

const logger = pino({ level: 'silent' });
const query: LookupQuery = {
  imdbId: 'tt27714581',
  title: 'Sentimental Value',
  year: 2025,
  directors: ['Joachim Trier'],
};

/** The lookup cache as a map: what a restarted process would read from MongoDB. */
function memoryCache(): LookupCachePort & { entries: Map<string, CachedLookup> } {
  const entries = new Map<string, CachedLookup>();
  return {
    entries,
    get: (source, identifier) => Promise.resolve(entries.get(`${source}:${identifier}`)),
    setFound: (source, identifier, outcome) => {
      entries.set(`${source}:${identifier}`, { kind: 'found', outcome: { ...outcome, attempts: [] } });
      return Promise.resolve();
    },
    setMiss: (source, identifier) => {
      entries.set(`${source}:${identifier}`, { kind: 'not_found' });
      return Promise.resolve();
    },
    setBlocked: (source, identifier) => {
      entries.set(`${source}:${identifier}`, { kind: 'blocked' });
      return Promise.resolve();
    },
  };
}

const paid = (operation: string) => ({
  source: 'omdb' as SourceName,
  operation,
  identifier: 'x',
  strategy: operation,
  success: true,
  responseTimeMs: 1,
  costUsd: 0.001,
});

/** A paid source that searches by title after a miss by ID, answering from `byTitle`. */
function paidSource(
  byTitle: () => LookupOutcome,
  titleLookupAfterIdMiss = true,
): MovieSource & { byId: number; byTitle: number } {
  const source = {
    name: 'omdb' as const,
    priority: 2,
    costPerRequestUsd: 0.001,
    importType: 'minimal' as const,
    titleLookupAfterIdMiss,
    byId: 0,
    byTitle: 0,
    lookupByImdbId(): Promise<LookupOutcome> {
      source.byId += 1;
      return Promise.resolve({ kind: 'not_found', candidates: [], attempts: [paid('by_imdb_id')] });
    },
    lookupByTitle(): Promise<LookupOutcome> {
      source.byTitle += 1;
      return Promise.resolve(byTitle());
    },
    lookup(): Promise<LookupOutcome> {
      throw new Error('the guard runs the steps itself');
    },
  };
  return source;
}

const guard = (source: MovieSource, cache: LookupCachePort) =>
  new GuardedSource(source, {
    cache,
    maxRequestsPerLookup: 1,
    breaker: { errorThresholdPercentage: 50, resetTimeoutMs: 60_000, volumeThreshold: 100 },
    logger,
  });

describe('GuardedSource', () => {
  it('when a source says an ID miss is final (OMDb), then the lookup ends after the one ID call, and the miss is cached', async () => {
    const cache = memoryCache();
    const source = paidSource(
      () => ({ kind: 'not_found', candidates: [], attempts: [paid('by_title')] }),
      false,
    );
    const first = await guard(source, cache).lookup(query);
    expect(first).toMatchObject({ kind: 'not_found' });
    expect([source.byId, source.byTitle]).toEqual([1, 0]);
    expect([...cache.entries.keys()]).toEqual(['omdb:tt27714581']);
    expect((await guard(source, cache).lookup(query)).kind).toBe('not_found');
    expect([source.byId, source.byTitle]).toEqual([1, 0]);
  });

  it('when the ID lookup misses and the title lookup then fails transiently, then the paid miss is already cached and the redelivery pays only for the title', async () => {
    const cache = memoryCache();
    const source = paidSource(() => ({
      kind: 'transient',
      reason: 'OMDb answered 503',
      status: 503,
      attempts: [],
    }));
    expect((await guard(source, cache).lookup(query)).kind).toBe('transient');
    expect([source.byId, source.byTitle]).toEqual([1, 1]);
    // A new process (the old one crashed or the message came back from the retry topic).
    const again = await guard(source, cache).lookup(query);
    expect(again.kind).toBe('transient');
    expect([source.byId, source.byTitle]).toEqual([1, 2]);
  });

  it('when both steps answer, then each answer is cached and a second lookup makes no call at all', async () => {
    const cache = memoryCache();
    const source = paidSource(() => ({ kind: 'not_found', candidates: [], attempts: [paid('by_title')] }));
    const first = await guard(source, cache).lookup(query);
    expect(first).toMatchObject({ kind: 'not_found', fromCache: false });
    expect(first.attempts).toHaveLength(2);
    expect([...cache.entries.keys()].sort()).toEqual(['omdb:tt27714581', 'omdb:tt27714581:by_title']);
    const second = await guard(source, cache).lookup(query);
    expect(second).toMatchObject({ kind: 'not_found', fromCache: true, attempts: [] });
    expect([source.byId, source.byTitle]).toEqual([1, 1]);
  });

  it('when a page was given up as blocked, then a trusting lookup skips the source (blocked_page, no call) and a recheck fetches it again', async () => {
    const cache = memoryCache();
    const source = paidSource(() => ({ kind: 'not_found', candidates: [], attempts: [] }), false);
    const guarded = guard(source, cache);
    await guarded.rememberBlocked(query);
    expect(await guarded.lookup(query)).toMatchObject({
      kind: 'skipped',
      reason: 'blocked_page',
      attempts: [],
    });
    expect(source.byId).toBe(0);
    expect(await guarded.lookup(query, { cachedMisses: 'recheck' })).toMatchObject({ kind: 'not_found' });
    expect(source.byId).toBe(1);
  });

  it('when a lookup rechecks remembered misses, then the source is asked again while a cached found answer is still used, and a trusting lookup at the same moment is not coalesced with it', async () => {
    const cache = memoryCache();
    const source = paidSource(() => ({ kind: 'not_found', candidates: [], attempts: [paid('by_title')] }));
    const guarded = guard(source, cache);
    await guarded.lookup(query);
    expect([source.byId, source.byTitle]).toEqual([1, 1]);
    // Both misses are remembered: a trusting lookup pays nothing, a recheck asks both steps again.
    const [trusting, rechecking] = await Promise.all([
      guarded.lookup(query),
      guarded.lookup(query, { cachedMisses: 'recheck' }),
    ]);
    expect(trusting).toMatchObject({ kind: 'not_found', fromCache: true });
    expect(rechecking).toMatchObject({ kind: 'not_found', fromCache: false });
    expect([source.byId, source.byTitle]).toEqual([2, 2]);
    // A remembered found answer is used even by a recheck.
    const found = {
      kind: 'found',
      movie: { title: 'Sentimental Value' },
      confidence: 1,
      strategy: 'by_imdb_id',
      candidates: [],
      attempts: [],
    };
    cache.entries.set('omdb:tt27714581', { kind: 'found', outcome: found as never });
    expect(await guarded.lookup(query, { cachedMisses: 'recheck' })).toMatchObject({
      kind: 'found',
      fromCache: true,
    });
    expect([source.byId, source.byTitle]).toEqual([2, 2]);
  });
});
