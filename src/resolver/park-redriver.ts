import type { SourceName } from '../domain/movie.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import type { GuardedSource } from './guarded-source.js';
import type { ParkingPort } from './ports.js';

export interface ParkRedriverDeps {
  parking: ParkingPort;
  sources: ReadonlyMap<SourceName, GuardedSource>;
  /** Publishes the parked message to the input topic as a first delivery; resolves once acknowledged. */
  republish(key: Buffer | null, value: Buffer | null): Promise<void>;
  metrics?: Pick<ResolverMetrics, 'parkedNominations'>;
  logger: Logger;
  intervalMs: number;
  /** Most nominations re-driven per source and pass (default 200). */
  batch?: number;
}

export interface ParkRedriver {
  /** One pass: refreshes the gauge, re-drives what may go; returns how many were re-driven. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Re-drives parked nominations once their source is healthy: nothing while its circuit is
 * open; one nomination as a probe while no answer came from the source since the oldest was
 * parked; all of them (a batch per pass) once one did. A re-driven message goes back to the
 * input topic as a first delivery with a fresh retry horizon; it is removed from the parking
 * only after the broker acknowledged it (a crash in between re-drives it twice, which the
 * idempotent processing absorbs).
 */
export function startParkRedriver(deps: ParkRedriverDeps): ParkRedriver {
  const log = deps.logger.child({ component: 'park-redriver' });
  const batch = deps.batch ?? 200;
  let running: Promise<number> | undefined;

  const pass = async (): Promise<number> => {
    const counts = await deps.parking.counts();
    let redriven = 0;
    for (const [source, guard] of deps.sources) {
      const parked = counts[source] ?? 0;
      deps.metrics?.parkedNominations.set({ source }, parked);
      if (parked === 0 || !guard.available) continue;
      const entries = await deps.parking.list(source, batch);
      const oldest = entries[0];
      if (oldest === undefined) continue;
      const healthy = guard.lastSuccessAt > oldest.parkedAt.getTime();
      for (const entry of healthy ? entries : [oldest]) {
        await deps.republish(entry.key, entry.value);
        await deps.parking.remove(entry.nominationId);
        redriven += 1;
      }
      log.info(
        { source, redriven: healthy ? entries.length : 1, parked, probe: !healthy },
        'parked nominations re-driven',
      );
    }
    return redriven;
  };

  const runOnce = (): Promise<number> => {
    running ??= pass().finally(() => (running = undefined));
    return running;
  };

  const timer = setInterval(() => {
    runOnce().catch((err: unknown) => log.warn({ err }, 're-drive pass failed; the next pass tries again'));
  }, deps.intervalMs);
  timer.unref();

  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
