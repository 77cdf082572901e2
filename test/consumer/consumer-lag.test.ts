import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';

/**
 * Issue 12: the consumer-lag gauge stayed at the full count until a batch ended. One
 * partition, so every message is in one fetched batch, and a slow twin, so that batch runs
 * for many seconds: the committed offset and the gauge must move while it still runs.
 */
describe('consumer lag and committed offsets on the real stack', () => {
  it('when one long batch is processed slowly, then the committed offset rises and the lag gauge falls while the batch still runs', async () => {
    const world = generateWorld({ seed: 12, size: 40, ratios: { tmdbFindMiss: 0 } });
    const lineup = worldNominations(world, { seed: 12 }).map((l) => l.nomination);
    const total = lineup.length;
    const pipeline = await startPipeline({
      world,
      twinOptions: { tmdb: { latencyMs: 250, jitterMs: 0 } },
      env: { TOPIC_PARTITIONS: '1', CONSUMER_CONCURRENCY: '2' },
    });
    const topic = pipeline.config.kafka.topics.nominations;
    await pipeline.publish(lineup);
    const service = await pipeline.startInstance();

    const samples: { recorded: number; committed: number; gauge: number | undefined }[] = [];
    const sample = async () => {
      const recorded = await pipeline.db.collection(collectionNames.nominations).countDocuments();
      const [offsets] = await pipeline.admin.fetchOffsets({
        groupId: pipeline.config.kafka.groupId,
        topics: [topic],
      });
      const committed = Math.max(0, Number(offsets?.partitions.find((p) => p.partition === 0)?.offset ?? -1));
      const { values } = await service.metrics.consumerLag.get();
      const gauge = values.find((v) => v.labels.topic === topic && v.labels.partition === '0')?.value;
      samples.push({ recorded, committed, gauge });
      return recorded;
    };
    await pipeline.waitFor('every nomination recorded', async () => (await sample()) >= total, 120_000);
    await pipeline.waitFor('the last offset committed', async () => {
      await sample();
      return samples.at(-1)?.committed === total;
    });

    // While the batch runs (not every nomination recorded yet), the committed offset is past
    // the start and the gauge below the full count, more than once as the batch progresses.
    const during = samples.filter((s) => s.recorded < total - 2);
    const committedDuring = [...new Set(during.map((s) => s.committed).filter((c) => c > 0 && c < total))];
    const gaugeDuring = [
      ...new Set(
        during.map((s) => s.gauge).filter((g): g is number => g !== undefined && g > 0 && g < total),
      ),
    ];
    expect(committedDuring.length, JSON.stringify(samples)).toBeGreaterThanOrEqual(3);
    expect(gaugeDuring.length, JSON.stringify(samples)).toBeGreaterThanOrEqual(3);
    // Committed offsets only rise and the gauge only falls.
    const committed = samples.map((s) => s.committed);
    expect(committed).toEqual([...committed].sort((a, b) => a - b));
    const gauges = samples.map((s) => s.gauge).filter((g): g is number => g !== undefined);
    expect(gauges).toEqual([...gauges].sort((a, b) => b - a));
  }, 180_000);
});
