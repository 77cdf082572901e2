import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline, type TestPipeline } from '../helpers/pipeline.js';

async function topicMessageCount(pipeline: TestPipeline, topic: string): Promise<number> {
  const offsets = await pipeline.admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

describe('pipeline on a world whose OMDb answers "Error getting data." for the ids it lacks', () => {
  it('when OMDb lacks films nominated with their IMDb id, then each costs exactly one OMDb call, nothing goes to the retry topic and the OMDb circuit never opens', async () => {
    // Many TMDb misses so that OMDb is asked often; no blocked IMDb pages and no injected
    // errors, so that any retry-topic message could only come from misread OMDb misses.
    const world = generateWorld({
      seed: 99,
      size: 120,
      ratios: {
        tmdbFindMiss: 0.6,
        tmdbAbsentOfMisses: 0.8,
        omdbRescue: 0.4,
        imdbBlocked: 0,
        decoysPerFilm: 0.5,
      },
    });
    const lineup = worldNominations(world, { seed: 3 });
    const pipeline = await startPipeline({
      world,
      env: { RETRY_MAX_ATTEMPTS: '3', RETRY_BASE_DELAY_MS: '200' },
    });
    const service = await pipeline.startInstance();
    await pipeline.publish(lineup.map((l) => l.nomination));

    let circuitEverOpen = false;
    const omdbCircuit = async (): Promise<number> =>
      (await service.metrics.circuitState.get()).values.find((v) => v.labels.source === 'omdb')?.value ?? 0;
    const nominations = pipeline.db.collection(collectionNames.nominations);
    await pipeline.waitFor(
      `${lineup.length} nominations recorded`,
      async () => {
        if ((await omdbCircuit()) > 0) circuitEverOpen = true;
        return (await nominations.countDocuments()) >= lineup.length;
      },
      240_000,
    );

    const lacking = lineup.filter((l) => !l.answer.tmdbPresent && !l.answer.omdb);
    const knowing = lineup.filter((l) => !l.answer.tmdbPresent && l.answer.omdb);
    expect(lacking.length).toBeGreaterThan(10);
    expect(knowing.length).toBeGreaterThan(5);

    // Exactly one OMDb call, by id, per film TMDb does not have and OMDb lacks; never a title query.
    const attempts = await pipeline.db
      .collection(collectionNames.lookupMetrics)
      .find({ source: 'omdb' })
      .toArray();
    const callsFor = (imdbId: string) => attempts.filter((a) => a.identifier === imdbId);
    const wrong = lacking
      .map((l) => ({
        id: l.answer.imdbId,
        calls: callsFor(l.answer.imdbId).map(
          (a) => `${a.operation as string}:${a.success ? 'ok' : 'failed'}`,
        ),
      }))
      .filter((x) => x.calls.length !== 1 || x.calls[0] !== 'by_id:ok');
    expect(wrong).toEqual([]);
    expect(attempts.filter((a) => a.operation === 'by_title')).toEqual([]);
    expect(pipeline.twin.counts()['omdb.byTitle']).toBe(0);
    // Those misses are "Error getting data." answers, recorded as clean misses.
    expect(callsFor(lacking[0]?.answer.imdbId ?? '')[0]?.error_message).toMatch(/Error getting data\./);

    // Films OMDb knows are not skipped: they end as OMDb's minimal import.
    const movies = await pipeline.db.collection(collectionNames.movies).find().toArray();
    const byImdb = new Map(movies.map((m) => [m.imdbId as string, m]));
    const notMinimal = knowing
      .filter((l) => byImdb.get(l.answer.imdbId)?.importType !== 'minimal')
      .map((l) => l.answer.imdbId);
    expect(notMinimal).toEqual([]);

    // Nothing went to the retry topic, and the OMDb circuit never opened.
    expect(await topicMessageCount(pipeline, pipeline.config.kafka.topics.retry)).toBe(0);
    expect(circuitEverOpen).toBe(false);
    const skipped = (await service.metrics.tierSkipped.get()).values.filter(
      (v) => v.labels.reason === 'circuit_open',
    );
    expect(skipped.reduce((sum, v) => sum + v.value, 0)).toBe(0);
  }, 300_000);
});
