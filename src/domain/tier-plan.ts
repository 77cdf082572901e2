import type { SourceName } from './movie.js';

/** The chain's tier settings: order, disabled tiers and tiers that run only for critical nominations. */
export interface TierSettings {
  order: SourceName[];
  disabled: SourceName[];
  criticalOnly: SourceName[];
}

type TierSkipReason = 'disabled' | 'critical_only';

/** One tier of the plan for a nomination: run it, or skip it and say why. */
export type PlannedTier =
  | { source: SourceName; level: number; run: true }
  | { source: SourceName; level: number; run: false; reason: TierSkipReason };

/** Which tiers a nomination goes through, in order; `level` is the 1-based fallback level. */
export function planTiers(settings: TierSettings, critical: boolean): PlannedTier[] {
  return settings.order.map((source, index) => {
    const level = index + 1;
    if (settings.disabled.includes(source)) return { source, level, run: false, reason: 'disabled' };
    if (settings.criticalOnly.includes(source) && !critical)
      return { source, level, run: false, reason: 'critical_only' };
    return { source, level, run: true };
  });
}
