import { describe, expect, it } from 'vitest';
import { nominationKey } from '../../src/kafka/message-key.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { MongoParkedNominations } from '../../src/persistence/parked-nominations.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';
import { runCli } from '../ops/run-cli.js';

describe('replay-parked', () => {
  it('when the operator replays parked nominations, then they go back to the input topic as they were consumed and are resolved', async () => {
    const world = generateWorld({ seed: 17, size: 3, ratios: { tmdbFindMiss: 0 } });
    const [entry] = worldNominations(world, { seed: 1 });
    if (entry === undefined) throw new Error('no nomination');
    const pipeline = await startPipeline({ world, env: { ENRICHMENT_ENABLED: 'false' } });
    await pipeline.publish([]); // topics and schemas
    const parking = new MongoParkedNominations(pipeline.db);
    const value = await pipeline.codec.encode('nomination', entry.nomination);
    await parking.park({
      nominationId: entry.nomination.nominationId,
      source: 'tmdb',
      reason: 'tmdb answered 503',
      since: new Date(Date.now() - 7 * 3600_000),
      parkedAt: new Date(),
      tierAttempts: { tmdb: 40 },
      key: Buffer.from(nominationKey(entry.nomination)),
      value,
    });
    expect(await parking.counts()).toEqual({ tmdb: 1 });

    const dry = await runCli(['replay-parked', '--dry-run'], pipeline.env);
    expect(dry.stdout).toContain('dry run: would replay 1 parked nomination(s)');
    expect(await parking.counts()).toEqual({ tmdb: 1 });
    const run = await runCli(['replay-parked', '--source', 'tmdb'], pipeline.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('replayed 1 parked nomination(s)');
    expect(await parking.counts()).toEqual({});

    await pipeline.startInstance();
    const nominations = pipeline.db.collection(collectionNames.nominations);
    await pipeline.waitFor(
      'the replayed nomination recorded',
      async () => (await nominations.countDocuments()) === 1,
      60_000,
    );
    const movie = await pipeline.db.collection(collectionNames.movies).findOne({});
    expect(movie).toMatchObject({ importType: 'full', imdbId: entry.answer.imdbId });
  }, 120_000);
});
