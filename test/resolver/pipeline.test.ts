import { describe, expect, it } from 'vitest';
import type { SourceName } from '../../src/domain/movie.js';
import { collectionNames } from '../../src/persistence/collections.js';
import type { Answer } from '../../src/twin/world.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline, type TestPipeline } from '../helpers/pipeline.js';

/** The first tier, in the default order, that knows the film; null when none does. */
function expectedTier(answer: Answer): SourceName | null {
  if (answer.tmdbPresent) return 'tmdb';
  if (answer.omdb) return 'omdb';
  if (answer.imdb === 'present') return 'imdb';
  return null;
}

async function topicMessageCount(pipeline: TestPipeline, topic: string): Promise<number> {
  const offsets = await pipeline.admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

describe('resolver pipeline on the real stack and the twin', () => {
  it('when a lineup of 220 Cannes nominations is consumed, then every nomination is recorded with the movie the world allows, events match movies, and cost matches the paid calls', async () => {
    const world = generateWorld({ seed: 2025, size: 220 });
    const lineup = worldNominations(world, { seed: 7 });
    const pipeline = await startPipeline({
      world,
      env: { RETRY_MAX_ATTEMPTS: '3', RETRY_BASE_DELAY_MS: '200' },
    });
    await pipeline.startInstance();
    await pipeline.publish(lineup.map((l) => l.nomination));

    const nominations = pipeline.db.collection(collectionNames.nominations);
    await pipeline.waitFor(
      `${lineup.length} nominations recorded`,
      async () => {
        const n = await nominations.countDocuments();
        if (process.env.PIPELINE_DEBUG) console.log('recorded', n, JSON.stringify(pipeline.twin.counts()));
        return n >= lineup.length;
      },
      240_000,
    );

    // 100 % of nominations recorded, each linked to a movie.
    expect(await nominations.countDocuments()).toBe(lineup.length);
    const movies = await pipeline.db.collection(collectionNames.movies).find().toArray();
    const byImdb = new Map(movies.map((m) => [m.imdbId as string, m]));
    for (const n of await nominations.find().toArray())
      expect(movies.some((m) => m.key === n.movieKey)).toBe(true);

    // Each movie is what the world allows: the first tier that knows the film, or a stub.
    const mismatches: string[] = [];
    for (const { answer } of lineup) {
      const movie = byImdb.get(answer.imdbId);
      const tier = expectedTier(answer);
      const got =
        movie === undefined
          ? 'missing'
          : `${movie.importType}:${(movie.dataSourceHierarchy as string[]).join('>')}`;
      const want = tier === null ? 'stub:' : `${tier === 'omdb' ? 'minimal' : 'full'}:${tier}`;
      if (got !== want)
        mismatches.push(`${answer.imdbId} ${answer.nomination.title}: want ${want}, got ${got}`);
    }
    expect(mismatches).toEqual([]);
    const tierShare = (tier: SourceName | null) =>
      lineup.filter((l) => expectedTier(l.answer) === tier).length;
    expect(tierShare('tmdb')).toBeGreaterThan(100);
    expect(lineup.filter((l) => !l.answer.tmdbFindByImdbId).length).toBeGreaterThan(70);

    // One event per movie state: resolved + stub events equal the movies written.
    const resolvedEvents = await topicMessageCount(pipeline, pipeline.config.kafka.topics.resolved);
    const stubEvents = await topicMessageCount(pipeline, pipeline.config.kafka.topics.stub);
    expect(resolvedEvents).toBe(movies.filter((m) => m.importType !== 'stub').length);
    expect(stubEvents).toBe(movies.filter((m) => m.importType === 'stub').length);

    // The recorded cost equals the paid calls the twin counted (Zyte charges + OMDb answers).
    const attempts = await pipeline.db.collection(collectionNames.lookupMetrics).find().toArray();
    const recorded = attempts.reduce((sum, a) => sum + (a.metadata as { cost_usd: number }).cost_usd, 0);
    const counts = pipeline.twin.counts();
    const omdbAnswers = counts['omdb.byId'] + counts['omdb.byTitle'];
    const expected = pipeline.twin.chargedUsd() + omdbAnswers * pipeline.config.sources.omdb.costUsd;
    expect(recorded).toBeCloseTo(expected, 6);
    expect(counts['zyte.charged']).toBeGreaterThan(0);
  }, 300_000);
});
