import { sourceNames, type SourceName } from '../domain/movie.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import type { ParkingPort } from './ports.js';

/** The parked-nominations gauge, set from the store: a level, unlike the counter of parkings. */
export interface ParkedGauge {
  /** Counts the parking again and sets the gauge; resolves once a count begun after the call is set. */
  refresh(): Promise<void>;
}

/**
 * Refreshed after every park, every re-drive pass and every re-drive from the console; calls
 * that arrive while a count runs share the one count that follows it, so an outage that parks
 * thousands of nominations costs a count per count's duration, not one per park. Every source
 * is set, a source with nothing parked to 0.
 */
export function parkedGauge(
  parking: Pick<ParkingPort, 'counts'>,
  metrics: Pick<ResolverMetrics, 'parkedNominations'>,
  sources: readonly SourceName[] = sourceNames,
): ParkedGauge {
  let current: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  const count = async () => {
    const counts = await parking.counts();
    for (const source of new Set([...sources, ...(Object.keys(counts) as SourceName[])]))
      metrics.parkedNominations.set({ source }, counts[source] ?? 0);
  };
  const start = (): Promise<void> => {
    const run = count().finally(() => {
      if (current === run) current = undefined;
    });
    current = run;
    return run;
  };

  return {
    refresh: () => {
      if (current === undefined) return start();
      // A count is running: it may have read before the caller's change, so one more follows it.
      next ??= current
        .catch(() => undefined)
        .then(() => {
          next = undefined;
          return start();
        });
      return next;
    },
  };
}
