import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { consumeN } from '../helpers/kafka.js';
import { startPipeline, type TestPipeline } from '../helpers/pipeline.js';

/** True once the group has committed up to the end of every partition of the topic. */
async function caughtUp(pipeline: TestPipeline, topic: string): Promise<boolean> {
  const high = await pipeline.admin.fetchTopicOffsets(topic);
  const [committed] = await pipeline.admin.fetchOffsets({
    groupId: pipeline.config.kafka.groupId,
    topics: [topic],
  });
  return high.every((p) => {
    const c = committed?.partitions.find((x) => x.partition === p.partition);
    return c !== undefined && Number(c.offset) >= Number(p.high);
  });
}

async function countOf(pipeline: TestPipeline, collection: string): Promise<number> {
  return pipeline.db.collection(collection).countDocuments();
}

describe('resolver resilience on the real stack and the twin', () => {
  it('when the whole topic is replayed (consumer group reset), then no movie or nomination is duplicated or changed', async () => {
    const world = generateWorld({ seed: 31, size: 40 });
    const lineup = worldNominations(world, { seed: 3, withoutImdbIdShare: 0.2 });
    const pipeline = await startPipeline({ world });
    const first = await pipeline.startInstance();
    await pipeline.publish(lineup.map((l) => l.nomination));
    await pipeline.waitFor(
      'first pass',
      async () => (await countOf(pipeline, collectionNames.nominations)) >= lineup.length,
      180_000,
    );
    await pipeline.waitFor(
      'first pass committed',
      () => caughtUp(pipeline, pipeline.config.kafka.topics.nominations),
      60_000,
    );
    const movies = await pipeline.db
      .collection(collectionNames.movies)
      .find({}, { projection: { _id: 0, updatedAt: 0 } })
      .sort({ key: 1 })
      .toArray();
    const nominationsBefore = await pipeline.db
      .collection(collectionNames.nominations)
      .find({}, { projection: { _id: 0, updatedAt: 0 } })
      .sort({ nominationId: 1 })
      .toArray();
    await first.stop();

    await pipeline.admin.resetOffsets({
      groupId: pipeline.config.kafka.groupId,
      topic: pipeline.config.kafka.topics.nominations,
      earliest: true,
    });
    const callsBefore = pipeline.twin.counts();
    await pipeline.startInstance();
    await pipeline.waitFor(
      'replay committed',
      () => caughtUp(pipeline, pipeline.config.kafka.topics.nominations),
      180_000,
    );

    expect(await countOf(pipeline, collectionNames.nominations)).toBe(lineup.length);
    const moviesAfter = await pipeline.db
      .collection(collectionNames.movies)
      .find({}, { projection: { _id: 0, updatedAt: 0 } })
      .sort({ key: 1 })
      .toArray();
    expect(moviesAfter).toEqual(movies);
    const nominationsAfter = await pipeline.db
      .collection(collectionNames.nominations)
      .find({}, { projection: { _id: 0, updatedAt: 0 } })
      .sort({ nominationId: 1 })
      .toArray();
    expect(nominationsAfter).toEqual(nominationsBefore);
    // The replay is answered by the lookup cache: TMDb is not asked for any film again.
    expect(pipeline.twin.counts()['tmdb.find']).toBe(callsBefore['tmdb.find']);
  }, 420_000);

  it('when three instances share a Zyte budget worth 10 calls, then at most 10 paid calls are made in total', async () => {
    const world = generateWorld({
      seed: 41,
      size: 30,
      ratios: { tmdbFindMiss: 1, tmdbAbsentOfMisses: 1, omdbRescue: 0, imdbBlocked: 0, imdbMissing: 0 },
    });
    const lineup = worldNominations(world, { seed: 4 });
    const pipeline = await startPipeline({
      world,
      env: { ZYTE_DAILY_BUDGET_USD: '0.2', ZYTE_COST_USD: '0.02', CONSUMER_CONCURRENCY: '4' },
    });
    await Promise.all([pipeline.startInstance(), pipeline.startInstance(), pipeline.startInstance()]);
    await pipeline.publish(lineup.map((l) => l.nomination));
    await pipeline.waitFor(
      'every nomination recorded',
      async () => (await countOf(pipeline, collectionNames.nominations)) >= lineup.length,
      240_000,
    );

    expect(pipeline.twin.counts()['zyte.charged']).toBe(10);
    const movies = await pipeline.db.collection(collectionNames.movies).find().toArray();
    expect(movies.filter((m) => m.importType === 'full')).toHaveLength(10);
    expect(movies.filter((m) => m.importType === 'stub')).toHaveLength(lineup.length - 10);
    const zyteAttempts = await pipeline.db
      .collection(collectionNames.lookupMetrics)
      .countDocuments({ source: 'imdb' });
    expect(zyteAttempts).toBe(10);
  }, 300_000);

  it('when TMDb is down for 30 seconds, then no film TMDb knows becomes minimal or stub, and all complete after it recovers', async () => {
    const world = generateWorld({ seed: 51, size: 24, ratios: { tmdbFindMiss: 0 } });
    const lineup = worldNominations(world, { seed: 5 });
    const outage = { startsAt: Date.now(), endsAt: Date.now() + 30_000 };
    const pipeline = await startPipeline({
      world,
      twinOptions: { tmdb: { outage } },
      env: { RETRY_MAX_ATTEMPTS: '8', RETRY_BASE_DELAY_MS: '1000' },
    });
    await pipeline.startInstance();
    await pipeline.publish(lineup.map((l) => l.nomination));
    await pipeline.waitFor(
      'every nomination recorded',
      async () => (await countOf(pipeline, collectionNames.nominations)) >= lineup.length,
      240_000,
    );

    expect(Date.now()).toBeGreaterThan(outage.endsAt);
    const movies = await pipeline.db.collection(collectionNames.movies).find().toArray();
    expect(movies).toHaveLength(lineup.length);
    expect(
      movies.every((m) => m.importType === 'full' && (m.dataSourceHierarchy as string[])[0] === 'tmdb'),
    ).toBe(true);
    // The outage was really hit: messages went through the retry topic, and no paid tier was asked.
    const retried = await pipeline.admin.fetchTopicOffsets(pipeline.config.kafka.topics.retry);
    expect(retried.reduce((sum, p) => sum + Number(p.high), 0)).toBeGreaterThan(0);
    expect(pipeline.twin.counts()['omdb.byId'] + pipeline.twin.counts()['zyte.extract']).toBe(0);
  }, 300_000);

  it('when poisoned messages arrive, then each lands in the dead-letter topic with its reason and the next valid message is processed', async () => {
    const world = generateWorld({ seed: 61, size: 3, ratios: { tmdbFindMiss: 0 } });
    const [valid, ...rest] = worldNominations(world, { seed: 6 }).map((l) => l.nomination);
    if (valid === undefined || rest.length < 1) throw new Error('world too small');
    const pipeline = await startPipeline({ world });
    await pipeline.startInstance();
    const encode = (n: typeof valid) => pipeline.codec.encode('nomination', n);
    await pipeline.publish([]); // registers the schemas
    await pipeline.publishRaw([
      { key: 'garbage', value: Buffer.from('not avro at all') },
      {
        key: 'bad-imdb',
        value: await encode({ ...valid, nominationId: 'p1', film: { ...valid.film, imdbId: 'tt12' } }),
      },
      { key: 'absurd-year', value: await encode({ ...valid, nominationId: 'p2', editionYear: 3024 }) },
      {
        key: 'operator',
        value: await encode({ ...valid, nominationId: 'p3', film: { ...valid.film, title: '{"$gt": ""}' } }),
      },
      { key: 'tombstone', value: null },
    ]);
    await pipeline.publish([valid]);

    const dead = await consumeN(pipeline.kafka, pipeline.config.kafka.topics.dlq, 5, 60_000);
    const reasons = dead
      .map(
        (m) =>
          `${m.key?.toString()}: ${m.headers?.['x-dlq-error-code']?.toString()} ${m.headers?.['x-dlq-reason']?.toString()}`,
      )
      .sort();
    expect(reasons).toHaveLength(5);
    expect(reasons.find((r) => r.startsWith('garbage'))).toMatch(/UNDECODABLE .*magic byte/);
    expect(reasons.find((r) => r.startsWith('bad-imdb'))).toMatch(/INVALID_FIELD .*imdbId/i);
    expect(reasons.find((r) => r.startsWith('absurd-year'))).toMatch(/INVALID_FIELD .*editionYear/);
    expect(reasons.find((r) => r.startsWith('operator'))).toMatch(/INVALID_FIELD .*title/);
    expect(reasons.find((r) => r.startsWith('tombstone'))).toMatch(/UNDECODABLE/);
    expect(dead.find((m) => m.key?.toString() === 'garbage')?.value?.toString()).toBe('not avro at all');

    await pipeline.waitFor(
      'the valid nomination recorded',
      async () =>
        (await pipeline.db
          .collection(collectionNames.nominations)
          .countDocuments({ nominationId: valid.nominationId })) === 1,
      60_000,
    );
    expect(await countOf(pipeline, collectionNames.nominations)).toBe(1);
  }, 180_000);
});
