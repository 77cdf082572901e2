import type { SourceName } from '../domain/movie.js';
import type { Logger } from '../logger.js';
import type { GuardedSource } from './guarded-source.js';
import type { ParkedGauge } from './parked-gauge.js';
import type { RedriveOutlook } from './park-outlook.js';
import type { ParkedNomination, ParkingPort } from './ports.js';

/** What re-driving needs: the parking and a way back to the input topic. */
export interface RedriveDeps {
  parking: ParkingPort;
  /** Publishes the parked message to the input topic as a first delivery; resolves once acknowledged. */
  republish(key: Buffer | null, value: Buffer | null): Promise<void>;
}

/**
 * Re-drives one parked nomination: its message goes back to the input topic exactly as it was
 * consumed (a first delivery, with a fresh retry horizon), and it leaves the parking only once
 * the broker acknowledged it; a crash in between re-drives it twice, which the idempotent
 * processing absorbs. The one path of the re-driver, `replay-parked` and the console.
 */
export async function redriveParked(deps: RedriveDeps, entry: ParkedNomination): Promise<void> {
  await deps.republish(entry.key, entry.value);
  await deps.parking.remove(entry.nominationId, entry.producedAt);
}

export interface ParkRedriverDeps extends RedriveDeps {
  sources: ReadonlyMap<SourceName, GuardedSource>;
  /** The parked-nominations gauge, refreshed before and after each pass. */
  gauge?: ParkedGauge;
  logger: Logger;
  intervalMs: number;
  /** Most nominations re-driven per source and pass (default 200). */
  batch?: number;
  now?: () => number;
}

export interface ParkRedriver {
  /** One pass: refreshes the gauge, re-drives what may go; returns how many were re-driven. */
  runOnce(): Promise<number>;
  /** How the re-driver sees a source now (undefined for a source it does not guard: a disabled tier). */
  outlook(source: SourceName): RedriveOutlook | undefined;
  stop(): Promise<void>;
}

/**
 * Re-drives parked nominations once their source is healthy: nothing while its circuit is
 * open; one nomination as a probe while no answer came from the source since the oldest was
 * parked; all of them (a batch per pass) once one did.
 */
export function startParkRedriver(deps: ParkRedriverDeps): ParkRedriver {
  const log = deps.logger.child({ component: 'park-redriver' });
  const batch = deps.batch ?? 200;
  const now = deps.now ?? Date.now;
  let running: Promise<number> | undefined;
  let nextPassAt = now();

  const pass = async (): Promise<number> => {
    const counts = await deps.parking.counts();
    let redriven = 0;
    for (const [source, guard] of deps.sources) {
      const parked = counts[source] ?? 0;
      if (parked === 0 || !guard.available) continue;
      const entries = await deps.parking.list({ source }, batch);
      const oldest = entries[0];
      if (oldest === undefined) continue;
      const healthy = guard.lastSuccessAt > oldest.parkedAt.getTime();
      for (const entry of healthy ? entries : [oldest]) {
        await redriveParked(deps, entry);
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
    running ??= (async () => {
      try {
        return await pass();
      } finally {
        // The level after what this pass re-drove, not before it.
        await deps.gauge?.refresh();
      }
    })().finally(() => (running = undefined));
    return running;
  };

  const timer = setInterval(() => {
    nextPassAt = now() + deps.intervalMs;
    runOnce().catch((err: unknown) => log.warn({ err }, 're-drive pass failed; the next pass tries again'));
  }, deps.intervalMs);
  timer.unref();
  nextPassAt = now() + deps.intervalMs;

  return {
    runOnce,
    outlook: (source) => {
      const guard = deps.sources.get(source);
      if (guard === undefined) return undefined;
      return {
        source,
        circuitOpen: !guard.available,
        circuitWaitMs: guard.circuitWaitMs(now()),
        lastSuccessAt: guard.lastSuccessAt,
        nextPassAt,
        intervalMs: deps.intervalMs,
        batch,
      };
    },
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
