import { describe, expect, it } from 'vitest';
import type { MovieResolvedEvent, MovieStubEvent } from '../../src/domain/movie-events.js';
import type { Nomination } from '../../src/domain/nomination.js';
import type { Service } from '../../src/main.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { NominationsRepository } from '../../src/persistence/nominations-repository.js';
import type { WorldFilm } from '../../src/twin/world.js';
import { consumeN } from '../helpers/kafka.js';
import { startPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { twinFilm, twinWorld } from '../helpers/twin.js';

/**
 * A nomination id is the producer's identity of one nomination, and a producer may send it
 * again with other content (a corrected film or category). The bug: the announced fields
 * were written once ($setOnInsert) while the movie link followed the latest call, so a
 * reused id with a newer producedAt left the first film and category linked to the second
 * film's movie, and both movies' events listed it. Versions of one id with different films
 * have different message keys, so they can also be processed concurrently.
 */

const id = 'cannes_2024:competition:reused-id';

function version(film: WorldFilm, category: string, producedAt: number): Nomination {
  return {
    nominationId: id,
    festival: 'cannes_2024',
    editionYear: 2024,
    category,
    film: {
      imdbId: film.imdbId,
      title: film.title,
      originalTitle: null,
      year: film.releaseYear,
      directors: film.directors,
    },
    people: film.directors,
    won: false,
    critical: false,
    producedAt,
  };
}

/** Messages the instance has finished with, whatever their outcome. */
async function handled(service: Service): Promise<number> {
  return (await service.metrics.messagesProcessed.get()).values.reduce((sum, v) => sum + v.value, 0);
}

async function metricValue(service: Service, name: string): Promise<number> {
  const metric = service.metrics.registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}

async function messageCount(pipeline: TestPipeline, topic: string): Promise<number> {
  const offsets = await pipeline.admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

type MovieEvent = (MovieResolvedEvent | MovieStubEvent) & { offset: number };

/** Every movie event so far, in the order they were written per movie key (one partition per key). */
async function movieEvents(pipeline: TestPipeline): Promise<MovieEvent[]> {
  const events: MovieEvent[] = [];
  const { resolved, stub } = pipeline.config.kafka.topics;
  for (const [topic, schema] of [
    [resolved, 'movieResolved'],
    [stub, 'movieStub'],
  ] as const) {
    const n = await messageCount(pipeline, topic);
    if (n === 0) continue;
    for (const message of await consumeN(pipeline.kafka, topic, n, 30_000)) {
      const value = await pipeline.codec.decode(schema, message.value);
      events.push({ ...value, offset: Number(message.offset) });
    }
  }
  return events;
}

function latestFor(events: MovieEvent[], movieKey: string): MovieEvent | undefined {
  return events
    .filter((e) => e.movieKey === movieKey)
    .sort((a, b) => a.offset - b.offset)
    .at(-1);
}

async function settle(pipeline: TestPipeline, service: Service, count: number, what: string): Promise<void> {
  await pipeline.waitFor(what, async () => (await handled(service)) >= count, 90_000);
}

function twinRequests(pipeline: TestPipeline): number {
  return Object.values(pipeline.twin.counts()).reduce((sum, n) => sum + n, 0);
}

describe('a reused nomination id', () => {
  it('when an id comes again with another film and category and a newer producedAt, then it is applied whole: the nomination has the new film, category and movie, and the old movie is announced without it', async () => {
    const filmA = twinFilm({ title: 'The First Film', releaseYear: 2024 });
    const filmB = twinFilm({ title: 'The Second Film', releaseYear: 2024, directors: ['Other Director'] });
    const pipeline = await startPipeline({
      world: twinWorld([filmA, filmB]),
      env: { ENRICHMENT_ENABLED: 'false' },
    });
    const service = await pipeline.startInstance();
    const nominations = new NominationsRepository(pipeline.db);

    await pipeline.publish([version(filmA, 'competition', 1_000)]);
    await settle(pipeline, service, 1, 'the first version handled');
    expect((await nominations.get(id))?.movieKey).toBe(filmA.imdbId);

    await pipeline.publish([version(filmB, 'un_certain_regard', 2_000)]);
    await settle(pipeline, service, 2, 'the second version handled');

    const stored = await nominations.get(id);
    expect(stored).toMatchObject({
      category: 'un_certain_regard',
      film: { imdbId: filmB.imdbId, title: 'The Second Film', directors: ['Other Director'] },
      people: ['Other Director'],
      producedAt: 2_000,
      movieKey: filmB.imdbId,
    });
    expect((await nominations.findByMovie(filmA.imdbId)).map((n) => n.nominationId)).toEqual([]);
    expect((await nominations.findByMovie(filmB.imdbId)).map((n) => n.nominationId)).toEqual([id]);

    // An event for each affected movie: A's latest no longer lists the nomination, B's does.
    await pipeline.waitFor(
      'three movie events (A, B, A again)',
      async () =>
        (await messageCount(pipeline, pipeline.config.kafka.topics.resolved)) +
          (await messageCount(pipeline, pipeline.config.kafka.topics.stub)) >=
        3,
      30_000,
    );
    const events = await movieEvents(pipeline);
    expect(latestFor(events, filmA.imdbId)?.nominationIds).toEqual([]);
    expect(latestFor(events, filmB.imdbId)?.nominationIds).toEqual([id]);
    expect(events).toHaveLength(3);
  }, 150_000);

  it('when an older version comes after a newer one, then nothing changes, the stale metric counts it, and no upstream call is made for it', async () => {
    const filmA = twinFilm({ title: 'Older Film', releaseYear: 2024 });
    const filmB = twinFilm({ title: 'Newer Film', releaseYear: 2024 });
    // Never nominated under the newest version and never looked up: a lookup would show.
    const filmD = twinFilm({ title: 'Never Looked Up', releaseYear: 2024 });
    const pipeline = await startPipeline({
      world: twinWorld([filmA, filmB, filmD]),
      env: { ENRICHMENT_ENABLED: 'false' },
    });
    const service = await pipeline.startInstance();
    const nominations = new NominationsRepository(pipeline.db);

    await pipeline.publish([version(filmA, 'competition', 1_000)]);
    await settle(pipeline, service, 1, 'the first version handled');
    await pipeline.publish([version(filmB, 'competition', 2_000)]);
    await settle(pipeline, service, 2, 'the newer version handled');
    const before = await nominations.get(id);
    const eventsBefore =
      (await messageCount(pipeline, pipeline.config.kafka.topics.resolved)) +
      (await messageCount(pipeline, pipeline.config.kafka.topics.stub));
    const requestsBefore = twinRequests(pipeline);
    const moviesBefore = await pipeline.db.collection(collectionNames.movies).countDocuments();
    expect(await metricValue(service, 'festival_resolver_nominations_stale_total')).toBe(0);

    await pipeline.publish([version(filmA, 'competition', 1_000)]);
    await settle(pipeline, service, 3, 'the replayed older version handled');
    expect(await metricValue(service, 'festival_resolver_nominations_stale_total')).toBe(1);

    await pipeline.publish([version(filmD, 'short_films', 500)]);
    await settle(pipeline, service, 4, 'an even older version with an unseen film handled');
    expect(await metricValue(service, 'festival_resolver_nominations_stale_total')).toBe(2);

    expect(await nominations.get(id)).toEqual(before);
    expect(twinRequests(pipeline)).toBe(requestsBefore);
    expect(await pipeline.db.collection(collectionNames.movies).countDocuments()).toBe(moviesBefore);
    expect(
      (await messageCount(pipeline, pipeline.config.kafka.topics.resolved)) +
        (await messageCount(pipeline, pipeline.config.kafka.topics.stub)),
    ).toBe(eventsBefore);
  }, 150_000);

  it('when the same producedAt comes with different content, then the message is dead-lettered as a conflict and the consumer carries on', async () => {
    const filmA = twinFilm({ title: 'Claimed First', releaseYear: 2024 });
    const filmB = twinFilm({ title: 'Claimed Second', releaseYear: 2024 });
    const other = twinFilm({ title: 'Another Nominee', releaseYear: 2024 });
    const pipeline = await startPipeline({
      world: twinWorld([filmA, filmB, other]),
      env: { ENRICHMENT_ENABLED: 'false' },
    });
    const service = await pipeline.startInstance();
    const nominations = new NominationsRepository(pipeline.db);

    await pipeline.publish([version(filmA, 'competition', 1_000)]);
    await settle(pipeline, service, 1, 'the first version handled');
    const before = await nominations.get(id);
    const requestsBefore = twinRequests(pipeline);

    await pipeline.publish([version(filmB, 'competition', 1_000)]);
    const [dead] = await consumeN(pipeline.kafka, pipeline.config.kafka.topics.dlq, 1, 60_000);
    expect(dead?.headers?.['x-dlq-error-code']?.toString()).toBe('NOMINATION_CONFLICT');
    const reason = dead?.headers?.['x-dlq-reason']?.toString() ?? '';
    expect(reason).toContain(id);
    expect(reason).toContain('film.imdbId');
    expect(reason).toContain('film.title');
    expect(await nominations.get(id)).toEqual(before);
    expect(twinRequests(pipeline)).toBe(requestsBefore);

    const next = { ...version(other, 'competition', 1_000), nominationId: 'cannes_2024:competition:next' };
    await pipeline.publish([next]);
    await pipeline.waitFor(
      'the next nomination recorded',
      async () => (await nominations.get(next.nominationId)) !== null,
    );
    expect(
      (await service.metrics.deadLetters.get()).values.find((v) => v.labels.reason === 'nomination_conflict')
        ?.value,
    ).toBe(1);
  }, 150_000);

  it('when identical content is delivered again, then nothing changes and no second event is published', async () => {
    const filmA = twinFilm({ title: 'Said Twice', releaseYear: 2024 });
    const pipeline = await startPipeline({ world: twinWorld([filmA]), env: { ENRICHMENT_ENABLED: 'false' } });
    const service = await pipeline.startInstance();
    const nominations = new NominationsRepository(pipeline.db);
    const first = version(filmA, 'competition', 1_000);

    await pipeline.publish([first]);
    await settle(pipeline, service, 1, 'the first delivery handled');
    const before = await nominations.get(id);
    const events = await movieEvents(pipeline);
    expect(events).toHaveLength(1);

    await pipeline.publish([first, first]);
    await settle(pipeline, service, 3, 'the redeliveries handled');
    expect(await nominations.get(id)).toEqual(before);
    expect(await movieEvents(pipeline)).toHaveLength(1);
    expect(await metricValue(service, 'festival_resolver_nominations_stale_total')).toBe(0);
    expect(await messageCount(pipeline, pipeline.config.kafka.topics.dlq)).toBe(0);
  }, 150_000);

  it('when the pass that moved a nomination stopped after the write and before the events, then the redelivery publishes the event each movie is owed', async () => {
    const filmA = twinFilm({ title: 'Left Behind', releaseYear: 2024 });
    const filmB = twinFilm({ title: 'Moved To', releaseYear: 2024 });
    const pipeline = await startPipeline({
      world: twinWorld([filmA, filmB]),
      env: { ENRICHMENT_ENABLED: 'false' },
    });
    const service = await pipeline.startInstance();
    const nominations = new NominationsRepository(pipeline.db);

    await pipeline.publish([version(filmA, 'competition', 1_000)]);
    await settle(pipeline, service, 1, 'the first version handled');
    // What a crashed pass leaves: the newer version written, none of its events published.
    const newer = version(filmB, 'un_certain_regard', 2_000);
    expect(await nominations.record(newer, filmB.imdbId)).toMatchObject({
      kind: 'applied',
      movedFrom: filmA.imdbId,
    });

    await pipeline.publish([newer]);
    await settle(pipeline, service, 2, 'the redelivered newer version handled');
    const events = await movieEvents(pipeline);
    expect(latestFor(events, filmA.imdbId)?.nominationIds).toEqual([]);
    expect(latestFor(events, filmB.imdbId)?.nominationIds).toEqual([id]);
    expect((await nominations.get(id))?.eventsDue ?? []).toEqual([]);
  }, 150_000);

  it('when two versions of several ids reach two instances, newest first for some and oldest first for others, then every nomination ends with its newest version', async () => {
    const filmA = twinFilm({ title: 'First Claim', releaseYear: 2024 });
    const filmB = twinFilm({ title: 'Final Claim', releaseYear: 2024 });
    const pipeline = await startPipeline({
      world: twinWorld([filmA, filmB]),
      env: { ENRICHMENT_ENABLED: 'false' },
    });
    const services = [await pipeline.startInstance(), await pipeline.startInstance()];
    const handledByAll = async () => (await handled(services[0]!)) + (await handled(services[1]!));
    const staleByAll = async () =>
      (await metricValue(services[0]!, 'festival_resolver_nominations_stale_total')) +
      (await metricValue(services[1]!, 'festival_resolver_nominations_stale_total'));
    const nominations = new NominationsRepository(pipeline.db);
    const ids = Array.from({ length: 6 }, (_, i) => `cannes_2024:competition:either-order-${i}`);
    const older = (i: number) => ({ ...version(filmA, 'competition', 1_000 + i), nominationId: ids[i]! });
    const newest = (i: number) => ({ ...version(filmB, 'shorts', 5_000 + i), nominationId: ids[i]! });
    const odd = [1, 3, 5];
    const even = [0, 2, 4];
    // Different films are different message keys: the versions of an id sit on different
    // partitions and are handled by whichever instance owns each.
    await pipeline.publish([...odd.map(newest), ...even.map(older)]);
    await pipeline.waitFor('the first versions handled', async () => (await handledByAll()) >= 6, 120_000);
    await pipeline.publish([...odd.map(older), ...even.map(newest)]);
    await pipeline.waitFor('the second versions handled', async () => (await handledByAll()) >= 12, 120_000);

    for (const [i, nominationId] of ids.entries())
      expect(await nominations.get(nominationId)).toMatchObject({
        category: 'shorts',
        producedAt: 5_000 + i,
        film: { imdbId: filmB.imdbId },
        movieKey: filmB.imdbId,
      });
    expect(await nominations.findByMovie(filmA.imdbId)).toEqual([]);
    expect(await staleByAll()).toBe(odd.length);
    expect(await messageCount(pipeline, pipeline.config.kafka.topics.dlq)).toBe(0);
  }, 180_000);
});

/** A film nominated twice (two ids, two categories), after its first nomination was handled. */
async function firstOfTwo(title: string, tag: string) {
  const film = twinFilm({ title, releaseYear: 2024 });
  const pipeline = await startPipeline({ world: twinWorld([film]), env: { ENRICHMENT_ENABLED: 'false' } });
  const service = await pipeline.startInstance();
  const nominations = new NominationsRepository(pipeline.db);
  const first = { ...version(film, 'competition', 1_000), nominationId: `cannes_2024:competition:${tag}` };
  const second = { ...version(film, 'best_director', 1_000), nominationId: `cannes_2024:director:${tag}` };
  await pipeline.publish([first]);
  await settle(pipeline, service, 1, 'the first nomination handled');
  return { film, pipeline, service, nominations, first, second };
}

async function secondEvent(pipeline: TestPipeline): Promise<void> {
  await pipeline.waitFor(
    'a second event for the movie',
    async () => (await movieEvents(pipeline)).length >= 2,
    30_000,
  );
}

describe('a new nomination of a movie already announced', () => {
  it('when a second nomination of the same film arrives, then the movie is announced again listing both', async () => {
    const { film, pipeline, service, nominations, first, second } = await firstOfTwo(
      'Nominated Twice',
      'twice',
    );
    expect(latestFor(await movieEvents(pipeline), film.imdbId)?.nominationIds).toEqual([first.nominationId]);

    await pipeline.publish([second]);
    await settle(pipeline, service, 2, 'the second nomination handled');
    await secondEvent(pipeline);
    const events = await movieEvents(pipeline);
    expect(events).toHaveLength(2);
    expect(latestFor(events, film.imdbId)?.nominationIds.sort()).toEqual(
      [first.nominationId, second.nominationId].sort(),
    );
    expect((await nominations.get(second.nominationId))?.eventsDue ?? []).toEqual([]);
  }, 150_000);

  it('when the pass that linked it stopped before the event, then the redelivery publishes the event the movie is owed', async () => {
    const { film, pipeline, service, nominations, first, second } = await firstOfTwo(
      'Joined Before A Crash',
      'crash',
    );
    // What a crashed pass leaves: the second nomination linked to the movie, its event unpublished.
    expect(await nominations.record(second, film.imdbId, new Date(), { joinsExisting: true })).toMatchObject({
      kind: 'created',
      eventsDue: [{ movieKey: film.imdbId, producedAt: 1_000 }],
    });

    await pipeline.publish([second]);
    await settle(pipeline, service, 2, 'the redelivered second nomination handled');
    await secondEvent(pipeline);
    expect(latestFor(await movieEvents(pipeline), film.imdbId)?.nominationIds.sort()).toEqual(
      [first.nominationId, second.nominationId].sort(),
    );
    expect((await nominations.get(second.nominationId))?.eventsDue ?? []).toEqual([]);
  }, 150_000);
});
