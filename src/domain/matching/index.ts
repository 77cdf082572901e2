/**
 * Evidence-based matching: pure functions that score a source's candidates against the
 * nominated film and decide accept / review / reject. No I/O.
 */
export type {
  MatchTarget,
  MatchCandidate,
  ScoredCandidate,
  MatchThresholds,
  MatchDecision,
} from './types.js';
export { normaliseTitle } from './normalise.js';
export { scoreCandidate } from './score.js';
export { decide } from './decide.js';
export { bestCaseConfidence, ownEvidenceAgrees } from './best-case.js';
