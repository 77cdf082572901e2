import type { MatchCandidate, MatchTarget, ScoredCandidate } from './types.js';
import { normaliseTitle } from './normalise.js';

/** Scores one candidate against the target (placeholder, refined below). */
export function scoreCandidate(target: MatchTarget, candidate: MatchCandidate): ScoredCandidate {
  if (target.imdbId && candidate.imdbId && target.imdbId !== candidate.imdbId) {
    return { candidate, confidence: 0, rejectedBecause: 'imdb_id_mismatch', evidence: { titleSimilarity: 0, matchedTitle: 'none', yearDistance: null, directorOverlap: null, imdbIdAgrees: false } };
  }
  const same = normaliseTitle(target.title) === normaliseTitle(candidate.title);
  const yearDistance = target.year !== undefined && candidate.year !== undefined ? candidate.year - target.year : null;
  const imdbIdAgrees = target.imdbId && candidate.imdbId ? true : null;
  return {
    candidate,
    confidence: imdbIdAgrees ? 1 : same ? 0.8 : 0,
    evidence: { titleSimilarity: same ? 1 : 0, matchedTitle: same ? 'title' : 'none', yearDistance, directorOverlap: null, imdbIdAgrees },
  };
}
