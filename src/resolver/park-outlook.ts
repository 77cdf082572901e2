import type { SourceName } from '../domain/movie.js';

/** How the park re-driver sees a source now: what decides when its parked nominations go back. */
export interface RedriveOutlook {
  source: SourceName;
  circuitOpen: boolean;
  /** How long until an open circuit lets a trial request through (0 when closed). */
  circuitWaitMs: number;
  /** Epoch ms of the source's last answer that was not a transient failure (0: none yet). */
  lastSuccessAt: number;
  /** Epoch ms of the re-driver's next pass. */
  nextPassAt: number;
  intervalMs: number;
  /** Most nominations re-driven per source and pass. */
  batch: number;
}

/** When the re-driver will send a parked nomination back, as far as it can tell now. */
export interface NextRedrive {
  /**
   * next_pass: the source answered since the oldest was parked, so the pass at `notBefore`
   * takes it (or a later one, beyond the batch); probe: it is the oldest, sent alone at
   * `notBefore` to see whether the source answers; after_probe: it waits for the probe to
   * succeed; circuit_open: nothing goes before the breaker lets a trial through.
   */
  kind: 'next_pass' | 'probe' | 'after_probe' | 'circuit_open';
  /** The earliest moment it can go back. */
  notBefore: Date;
}

/**
 * Mirrors the re-driver's rule (see startParkRedriver) for one nomination: `position` is its
 * place among its source's parked nominations, oldest first (0 = the oldest), `oldestParkedAt`
 * when that oldest one was parked.
 */
export function nextRedrive(
  outlook: RedriveOutlook,
  entry: { position: number; oldestParkedAt: Date },
  now: number,
): NextRedrive {
  const { intervalMs } = outlook;
  // The first pass at or after `t` (passes run every intervalMs from nextPassAt on).
  const passAtOrAfter = (t: number) =>
    t <= outlook.nextPassAt
      ? outlook.nextPassAt
      : outlook.nextPassAt + Math.ceil((t - outlook.nextPassAt) / intervalMs) * intervalMs;
  const healthy = outlook.lastSuccessAt > entry.oldestParkedAt.getTime();
  const firstPass = passAtOrAfter(outlook.circuitOpen ? now + outlook.circuitWaitMs : now);
  if (outlook.circuitOpen)
    return {
      kind: 'circuit_open',
      notBefore: new Date(
        healthy || entry.position === 0
          ? firstPass + Math.floor(entry.position / outlook.batch) * intervalMs
          : firstPass + intervalMs,
      ),
    };
  if (healthy)
    return {
      kind: 'next_pass',
      notBefore: new Date(firstPass + Math.floor(entry.position / outlook.batch) * intervalMs),
    };
  if (entry.position === 0) return { kind: 'probe', notBefore: new Date(firstPass) };
  return { kind: 'after_probe', notBefore: new Date(firstPass + intervalMs) };
}
