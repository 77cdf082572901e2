import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SourceName } from '../../src/domain/movie.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { MongoParkedNominations } from '../../src/persistence/parked-nominations.js';
import type { GuardedSource } from '../../src/resolver/guarded-source.js';
import { startParkRedriver } from '../../src/resolver/park-redriver.js';
import { parkedGauge } from '../../src/resolver/parked-gauge.js';
import type { ParkedNomination } from '../../src/resolver/ports.js';
import { testDb } from '../helpers/mongo.js';

function parkedEntry(id: string, source: SourceName, parkedAt: number): ParkedNomination {
  return {
    nominationId: id,
    source,
    reason: `${source} answered 503`,
    since: new Date(parkedAt - 3_600_000),
    parkedAt: new Date(parkedAt),
    tierAttempts: { [source]: 9 },
    key: Buffer.from(id),
    value: Buffer.from(`v-${id}`),
  };
}

/** What the re-driver reads of a guarded source: its circuit and its last answer. */
function sourceState(state: { available: boolean; lastSuccessAt: number }): GuardedSource {
  return {
    get available() {
      return state.available;
    },
    get lastSuccessAt() {
      return state.lastSuccessAt;
    },
    circuitWaitMs: () => (state.available ? 0 : 5000),
  } as unknown as GuardedSource;
}

async function setup() {
  const { db } = await testDb('park_redriver');
  const parking = new MongoParkedNominations(db);
  const registry = new Registry();
  const metrics = createMetrics(registry);
  const gauge = parkedGauge(parking, metrics);
  const values = async () =>
    Object.fromEntries(
      ((await registry.getSingleMetric('festival_resolver_parked_nominations')?.get())?.values ?? []).map(
        (v) => [String(v.labels.source), v.value],
      ),
    );
  return { parking, gauge, values };
}

describe('the parked gauge on the real store', () => {
  it('when nominations are parked in a burst, then the gauge ends at the stored count, every source set', async () => {
    const { parking, gauge, values } = await setup();
    const t = Date.now();
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        await parking.park(parkedEntry(`n${i}`, i % 4 === 0 ? 'imdb' : 'tmdb', t - i));
        await gauge.refresh();
      }),
    );
    expect(await values()).toEqual({ tmdb: 30, omdb: 0, imdb: 10 });
  });

  it('when the re-driver passes, then the gauge shows what is left after its re-drives: nothing while the circuit is open, the probe alone while the source has not answered, the rest once it has', async () => {
    const { parking, gauge, values } = await setup();
    const t = Date.now() - 60_000;
    for (const [i, id] of ['old', 'mid', 'new'].entries()) await parking.park(parkedEntry(id, 'tmdb', t + i));
    await gauge.refresh();
    expect((await values()).tmdb).toBe(3);

    const tmdb = { available: false, lastSuccessAt: 0 };
    const republished: string[] = [];
    const redriver = startParkRedriver({
      parking,
      sources: new Map([['tmdb', sourceState(tmdb)]]),
      republish: async (key) => {
        republished.push(key?.toString() ?? '');
        await Promise.resolve();
      },
      gauge,
      logger: createLogger('silent'),
      intervalMs: 3_600_000,
    });
    onTestFinished(() => redriver.stop());

    expect(await redriver.runOnce()).toBe(0);
    expect((await values()).tmdb).toBe(3);
    expect(redriver.outlook('tmdb')).toMatchObject({ circuitOpen: true, circuitWaitMs: 5000 });

    Object.assign(tmdb, { available: true });
    expect(await redriver.runOnce()).toBe(1);
    expect(republished).toEqual(['old']);
    expect((await values()).tmdb).toBe(2);

    Object.assign(tmdb, { lastSuccessAt: Date.now() });
    expect(await redriver.runOnce()).toBe(2);
    expect(republished).toEqual(['old', 'mid', 'new']);
    expect(await values()).toEqual({ tmdb: 0, omdb: 0, imdb: 0 });
    expect(await parking.counts()).toEqual({});
  });
});
