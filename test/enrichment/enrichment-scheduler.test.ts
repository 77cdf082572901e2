import { describe, expect, it } from 'vitest';
import type { EnrichmentDeps } from '../../src/enrichment/enrich-movie.js';
import { startEnrichmentScheduler } from '../../src/enrichment/enrichment-scheduler.js';
import { createLogger } from '../../src/logger.js';
import type { StoredMovie } from '../../src/persistence/movie-merge.js';

/** Deps whose due-query blocks until released, counting the passes that started. */
function blockingDeps(): { deps: EnrichmentDeps; started: () => number; release: () => void } {
  let passes = 0;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const store = {
    movies: {
      findForEnrichment: async (): Promise<StoredMovie[]> => {
        passes += 1;
        await gate;
        return [];
      },
    },
  };
  const deps = { store, logger: createLogger('silent'), maxPerPass: 10 } as unknown as EnrichmentDeps;
  return { deps, started: () => passes, release: () => release() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('enrichment scheduler', () => {
  it('when a pass is still running at the next ticks, then no second pass starts, and stop waits for the running one and ends the ticks', async () => {
    const { deps, started, release } = blockingDeps();
    const scheduler = startEnrichmentScheduler(deps, { intervalMs: 5 });
    await sleep(60);
    expect(started()).toBe(1);

    const stopping = scheduler.stop();
    release();
    await stopping;
    const afterStop = started();
    await sleep(40);
    expect(started()).toBe(afterStop);
    expect(await scheduler.runNow()).toBeUndefined();
  });

  it('when runNow is called while a tick is running, then it joins that pass and returns its summary', async () => {
    const { deps, started, release } = blockingDeps();
    const scheduler = startEnrichmentScheduler(deps, { intervalMs: 60_000 });
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    release();
    expect(await second).toEqual(await first);
    expect(await first).toMatchObject({ examined: 0 });
    expect(started()).toBe(1);
    await scheduler.stop();
  });
});
