import { describe, expect, it } from 'vitest';
import { runEnrichmentPass } from '../../src/enrichment/enrichment-pass.js';
import { collectionNames } from '../../src/persistence/collections.js';
import type { LookupMetricDocument } from '../../src/persistence/lookup-metrics-repository.js';
import type { ReviewItem } from '../../src/persistence/review-queue-repository.js';
import { consumeN } from '../helpers/kafka.js';
import { twinFilm } from '../helpers/twin.js';
import {
  consumedPipeline,
  counterValue,
  enrichmentFor,
  unknownEverywhere,
  withTmdbKnowing,
} from './enrichment-fixture.js';

const hour = 3600_000;

describe('enrichment pass on the real stack and the twin', () => {
  it('when TMDb has since learnt films that were stubs, then one pass makes them full, announces them once and answers their review items; a second pass right after retries nothing', async () => {
    const known = [twinFilm(), twinFilm()];
    const learnt = [twinFilm(unknownEverywhere), twinFilm(unknownEverywhere)];
    const stillUnknown = twinFilm(unknownEverywhere);
    const omdbOnly = twinFilm({ tmdb: { present: false, imdbLinked: false } });
    const { pipeline, world, movies } = await consumedPipeline([...known, ...learnt, stillUnknown, omdbOnly]);
    const before = await movies();
    for (const film of [...learnt, stillUnknown]) expect(before.get(film.imdbId)?.importType).toBe('stub');
    for (const film of known) expect(before.get(film.imdbId)?.importType).toBe('full');
    expect(before.get(omdbOnly.imdbId)?.importType).toBe('minimal');

    pipeline.twin.setWorld(
      withTmdbKnowing(
        world,
        [...learnt, omdbOnly].map((f) => f.imdbId),
      ),
    );
    const { deps, metrics } = await enrichmentFor(pipeline);
    const now = new Date();
    const summary = await runEnrichmentPass(deps, { now });

    expect(summary).toMatchObject({
      examined: 4,
      upgraded: { 'stub→full': 2, 'minimal→full': 1 },
      unchanged: 1,
      skippedLocked: 0,
      failed: 0,
    });
    const after = await movies();
    for (const film of learnt) {
      const movie = after.get(film.imdbId);
      expect(movie).toMatchObject({ importType: 'full', needsEnrichment: false, tmdbId: film.tmdbId });
      expect(movie?.dataSourceHierarchy).toContain('tmdb');
      expect(movie?.lastEnrichmentAttempt?.getTime()).toBe(now.getTime());
    }
    expect(after.get(stillUnknown.imdbId)).toMatchObject({
      importType: 'stub',
      needsEnrichment: true,
      lastEnrichmentAttempt: now,
    });
    expect(await counterValue(metrics, { from: 'stub', to: 'full' })).toBe(2);
    expect(await counterValue(metrics, { from: 'minimal', to: 'full' })).toBe(1);
    expect(after.get(omdbOnly.imdbId)).toMatchObject({
      importType: 'full',
      dataSourceHierarchy: ['omdb', 'tmdb'],
      needsEnrichment: false,
    });

    // movie.resolved: the consumer's three films, then three upgrades (only the stubs' flagged as such).
    const messages = await consumeN(pipeline.kafka, pipeline.config.kafka.topics.resolved, 6, 20_000);
    const events = await Promise.all(messages.map((m) => pipeline.codec.decode('movieResolved', m.value)));
    const upgrades = events.filter((e) => e.upgradedFromStub);
    expect(
      events.filter((e) => e.imdbId === omdbOnly.imdbId).map((e) => [e.importType, e.upgradedFromStub]),
    ).toEqual([
      ['minimal', false],
      ['full', false],
    ]);
    expect(upgrades.map((e) => e.imdbId).sort()).toEqual(learnt.map((f) => f.imdbId).sort());
    for (const e of upgrades)
      expect(e).toMatchObject({
        importType: 'full',
        dataSourceHierarchy: ['tmdb'],
        nominationIds: [expect.stringContaining(e.imdbId ?? '?')],
      });

    // Their "all sources failed" review items are answered; the still-unknown film's stays open.
    const reviews = pipeline.db.collection<ReviewItem>(collectionNames.reviewQueue);
    for (const film of learnt)
      expect(await reviews.findOne({ movieKey: film.imdbId })).toMatchObject({
        status: 'resolved',
        resolution: { by: 'enrichment', imdbId: film.imdbId },
      });
    expect(await reviews.findOne({ movieKey: stillUnknown.imdbId })).toMatchObject({
      status: 'open',
      reason: 'all_sources_failed',
    });

    // The upstream requests are in api_lookup_metrics, marked as the enrichment job's.
    const attempts = await pipeline.db
      .collection<LookupMetricDocument>(collectionNames.lookupMetrics)
      .find({ 'metadata.strategy': { $regex: '^enrichment:' } })
      .toArray();
    const identifiers = new Set(attempts.map((a) => a.identifier));
    for (const film of [...learnt, stillUnknown]) expect(identifiers.has(film.imdbId)).toBe(true);
    expect(
      attempts.filter((a) => a.identifier === learnt[0]!.imdbId && a.source === 'tmdb' && a.success).length,
    ).toBeGreaterThan(0);

    // One minute later nothing is due (the hourly band of young stubs): no movie, no request.
    const counts = pipeline.twin.counts();
    const again = await runEnrichmentPass(deps, { now: new Date(now.getTime() + 60_000) });
    expect(again).toMatchObject({ examined: 0, upgraded: {} });
    expect(pipeline.twin.counts()).toEqual(counts);
    // An hour later the still-unknown stub is due again; the upgraded ones never are.
    const later = await runEnrichmentPass(deps, { now: new Date(now.getTime() + hour + 60_000) });
    expect(later).toMatchObject({ examined: 1, unchanged: 1 });
  }, 120_000);

  it('when a paid tier has less budget left than one request costs, then the pass skips it without spending, and with budget again it upgrades the film', async () => {
    const imdbOnly = twinFilm(unknownEverywhere);
    const { pipeline, world } = await consumedPipeline([imdbOnly, twinFilm()]);
    const spentByConsumer = pipeline.twin.chargedUsd();
    expect(spentByConsumer).toBeGreaterThan(0); // the 404 page was charged

    const next = structuredClone(world);
    for (const film of next.films) if (film.imdbId === imdbOnly.imdbId) film.imdb = 'present';
    pipeline.twin.setWorld(next);
    // One request costs ZYTE_COST_USD (0.02 by default); leave less than that in today's budget.
    const tiny = await enrichmentFor(pipeline, { ZYTE_DAILY_BUDGET_USD: String(spentByConsumer + 0.01) });
    const zyteBefore = pipeline.twin.counts()['zyte.extract'];
    const now = new Date();
    const skipped = await runEnrichmentPass(tiny.deps, { now });

    expect(skipped).toMatchObject({ examined: 1, unchanged: 1, upgraded: {} });
    expect(pipeline.twin.counts()['zyte.extract']).toBe(zyteBefore);
    expect(pipeline.twin.chargedUsd()).toBe(spentByConsumer);
    expect(await tiny.metrics.tierSkipped.get()).toMatchObject({
      values: [{ labels: { source: 'imdb', reason: 'budget_exhausted' }, value: 1 }],
    });

    const funded = await enrichmentFor(pipeline);
    const upgraded = await runEnrichmentPass(funded.deps, { now: new Date(now.getTime() + hour + 60_000) });
    expect(upgraded).toMatchObject({ examined: 1, upgraded: { 'stub→full': 1 } });
    expect(pipeline.twin.counts()['zyte.extract']).toBe(zyteBefore + 1);
    const movie = await pipeline.db.collection(collectionNames.movies).findOne({ key: imdbOnly.imdbId });
    expect(movie).toMatchObject({ importType: 'full', dataSourceHierarchy: ['imdb'] });
  }, 120_000);
});
