import type { MatchDecision, MatchThresholds, ScoredCandidate } from './types.js';
import { weights } from './evidence-weights.js';

/** The best score per candidate id: several search strategies may return the same film. */
function distinct(scored: ScoredCandidate[]): ScoredCandidate[] {
  const byId = new Map<string, ScoredCandidate>();
  for (const s of scored) {
    const seen = byId.get(s.candidate.id);
    if (!seen || s.confidence > seen.confidence) byId.set(s.candidate.id, s);
  }
  return [...byId.values()].sort((a, b) => b.confidence - a.confidence);
}

/**
 * Accept the best candidate at or above the accept threshold unless a second one is
 * nearly as strong (then a human chooses) or its directors contradict the nomination's;
 * between review and accept, review; below, reject. Agreeing IMDb IDs settle it whatever
 * else scored well.
 */
export function decide(scored: ScoredCandidate[], thresholds: MatchThresholds): MatchDecision {
  const ranked = distinct(scored);
  const best = ranked[0];
  if (best === undefined) return { kind: 'reject' };
  if (best.rejectedBecause !== undefined || best.confidence < thresholds.review)
    return { kind: 'reject', best };
  if (best.evidence.imdbIdAgrees === true) return { kind: 'accept', best, ambiguous: false };
  const runnerUp = ranked[1];
  const ambiguous =
    runnerUp !== undefined &&
    runnerUp.rejectedBecause === undefined &&
    runnerUp.confidence >= thresholds.review &&
    best.confidence - runnerUp.confidence < weights.ambiguityMargin;
  if (ambiguous) return { kind: 'review', best, ambiguous: true, reason: 'ambiguous' };
  // Both sides name directors and none is shared: however well the title and year agree, it
  // may be another film of the same name, so a curator decides (an agreeing IMDb ID settled it above).
  const directorsContradict = best.evidence.directorOverlap === 0;
  if (best.confidence >= thresholds.accept && !directorsContradict)
    return { kind: 'accept', best, ambiguous: false };
  return { kind: 'review', best, ambiguous: false, reason: 'low_confidence' };
}
