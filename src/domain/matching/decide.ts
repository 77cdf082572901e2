import type { MatchDecision, MatchThresholds, ScoredCandidate } from './types.js';

/** Decides accept / review / reject from scored candidates (placeholder, refined below). */
export function decide(scored: ScoredCandidate[], thresholds: MatchThresholds): MatchDecision {
  const sorted = [...scored].sort((a, b) => b.confidence - a.confidence);
  const best = sorted[0];
  if (!best || best.confidence < thresholds.review) return best ? { kind: 'reject', best } : { kind: 'reject' };
  if (best.confidence >= thresholds.accept) return { kind: 'accept', best, ambiguous: false };
  return { kind: 'review', best, ambiguous: false, reason: 'low_confidence' };
}
