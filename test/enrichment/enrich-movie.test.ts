import { describe, expect, it } from 'vitest';
import { enrichMovie } from '../../src/enrichment/enrich-movie.js';
import { runEnrichmentPass } from '../../src/enrichment/enrichment-pass.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import type { ReviewItem } from '../../src/persistence/review-queue-repository.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { consumeN } from '../helpers/kafka.js';
import { twinFilm } from '../helpers/twin.js';
import {
  consumedPipeline,
  counterValue,
  enrichmentFor,
  unknownEverywhere,
  withTmdbKnowing,
} from './enrichment-fixture.js';

describe("enrichment and a curator's locks", () => {
  it("when a stub's match is locked, then the pass leaves it untouched even though TMDb now knows it, and enrichMovie fetches it with the curator's IMDb ID", async () => {
    const film = twinFilm(unknownEverywhere);
    const { pipeline, world, movies } = await consumedPipeline([film]);
    const repository = new MoviesRepository(pipeline.db);
    const locked = await repository.lockFields(film.imdbId, { imdbId: film.imdbId });
    pipeline.twin.setWorld(withTmdbKnowing(world, [film.imdbId]));
    const { deps, metrics } = await enrichmentFor(pipeline);
    const counts = pipeline.twin.counts();

    const summary = await runEnrichmentPass(deps);
    expect(summary).toMatchObject({ examined: 0, upgraded: {} });
    expect((await movies()).get(film.imdbId)).toEqual({ ...locked, _id: undefined });
    expect(pipeline.twin.counts()).toEqual(counts);

    const outcome = await enrichMovie(deps, film.imdbId);
    expect(outcome).toMatchObject({ kind: 'upgraded', from: 'stub', to: 'full', source: 'tmdb' });
    const movie = (await movies()).get(film.imdbId);
    expect(movie).toMatchObject({
      importType: 'full',
      imdbId: film.imdbId,
      tmdbId: film.tmdbId,
      confidence: 1,
      dataSourceHierarchy: ['tmdb'],
    });
    expect(movie?.locked).toEqual(expect.arrayContaining(['match', 'imdbId']));
    expect(movie?.lastEnrichmentAttempt).toBeInstanceOf(Date);
    expect(await counterValue(metrics, { from: 'stub', to: 'full' })).toBe(1);
    const [message] = await consumeN(pipeline.kafka, pipeline.config.kafka.topics.resolved, 1, 20_000);
    expect(await pipeline.codec.decode('movieResolved', message!.value)).toMatchObject({
      imdbId: film.imdbId,
      importType: 'full',
      upgradedFromStub: true,
    });
  }, 120_000);

  it("when a curator says a full movie is another film, then enrichMovie replaces the wrong match's data with that film's", async () => {
    const nominated = twinFilm();
    const other = twinFilm({ decoy: true, title: 'The Other Film', releaseYear: 2021 });
    const { pipeline, movies } = await consumedPipeline([nominated, other]);
    expect((await movies()).get(nominated.imdbId)).toMatchObject({
      importType: 'full',
      tmdbId: nominated.tmdbId,
    });
    await new MoviesRepository(pipeline.db).lockFields(nominated.imdbId, { imdbId: other.imdbId });
    const { deps } = await enrichmentFor(pipeline);

    const outcome = await enrichMovie(deps, nominated.imdbId);

    expect(outcome).toMatchObject({ kind: 'refreshed', importType: 'full', source: 'tmdb' });
    const movie = (await movies()).get(nominated.imdbId);
    expect(movie).toMatchObject({
      imdbId: other.imdbId,
      title: 'The Other Film',
      year: 2021,
      confidence: 1,
      data: { externalIds: { imdbId: other.imdbId, tmdbId: other.tmdbId } },
    });
    // The wrong match's TMDb ID went with its data (it was not the curator's).
    expect(movie?.tmdbId).not.toBe(nominated.tmdbId);
    expect(await enrichMovie(deps, 'tt0000000')).toEqual({ kind: 'not_found', movieKey: 'tt0000000' });
  }, 120_000);
});

describe('enrichment and one film, one movie', () => {
  it('when enrichment finds that a title-keyed stub is a film already stored under its IMDb ID, then the two are merged: one movie, nominations relinked, the stub’s item closed as merged, one event naming the replaced key', async () => {
    // Nominated with its IMDb ID under the English title (found on its IMDb page) and, in a
    // second category, without it under the original title (nothing knows it by that: a stub).
    const film = twinFilm({
      title: 'The Chimera',
      originalTitle: 'La chimera',
      tmdb: { present: false, imdbLinked: false },
      omdb: { present: false },
      imdb: 'present',
    });
    const { pipeline, world, movies } = await consumedPipeline([film]);
    const [withId] = worldNominations(world, { seed: 3 });
    const withoutId = {
      ...withId!.nomination,
      nominationId: `${withId!.nomination.nominationId}:jury`,
      category: 'jury_prize',
      film: { ...withId!.nomination.film, imdbId: null, title: 'La chimera', originalTitle: null },
    };
    await pipeline.publish([withoutId]);
    const titleKey = 'title:la chimera:2023';
    await pipeline.waitFor('the stub', async () => (await movies()).has(titleKey), 60_000);
    expect([...(await movies()).values()].map((m) => [m.key, m.importType])).toEqual(
      expect.arrayContaining([
        [film.imdbId, 'full'],
        [titleKey, 'stub'],
      ]),
    );
    const reviews = pipeline.db.collection<ReviewItem>(collectionNames.reviewQueue);
    await pipeline.waitFor(
      'its review item',
      async () => (await reviews.countDocuments({ movieKey: titleKey })) > 0,
    );

    // TMDb learns the film; enrichment of the stub finds it by its original title, with its IMDb ID.
    pipeline.twin.setWorld(withTmdbKnowing(world, [film.imdbId]));
    const { deps } = await enrichmentFor(pipeline);
    const outcome = await enrichMovie(deps, titleKey);
    expect(outcome).toMatchObject({ kind: 'upgraded', movieKey: film.imdbId, from: 'stub', to: 'full' });

    const after = await movies();
    expect([...after.keys()]).toEqual([film.imdbId]);
    expect(after.get(film.imdbId)).toMatchObject({
      imdbId: film.imdbId,
      tmdbId: film.tmdbId,
      importType: 'full',
      aliasKeys: [titleKey],
      replacesKeys: [],
    });
    const nominations = await pipeline.db.collection(collectionNames.nominations).distinct('movieKey');
    expect(nominations).toEqual([film.imdbId]);
    expect(await reviews.findOne({ movieKey: titleKey })).toMatchObject({
      status: 'merged',
      mergedInto: film.imdbId,
    });
    expect(await reviews.countDocuments({ status: 'open' })).toBe(0);

    const messages = await consumeN(pipeline.kafka, pipeline.config.kafka.topics.resolved, 2, 20_000);
    const events = await Promise.all(messages.map((m) => pipeline.codec.decode('movieResolved', m.value)));
    expect(events.map((e) => [e.movieKey, e.replacesKeys, [...e.nominationIds].sort()])).toEqual([
      [film.imdbId, [], [withId!.nomination.nominationId]],
      [film.imdbId, [titleKey], [withId!.nomination.nominationId, withoutId.nominationId].sort()],
    ]);
  }, 120_000);
});
