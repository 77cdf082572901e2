import { titleCredit } from './evidence-weights.js';
import { scoreCandidate } from './score.js';
import type { MatchCandidate, MatchTarget, ScoredCandidate } from './types.js';
import { yearScore } from './year.js';

/**
 * The confidence a candidate could still reach once the rest of its record is known (a
 * TMDb details call: directors, alternative titles, all release dates, the record's IMDb
 * ID), assuming each unknown turns out as well as it can: its directors the nomination's,
 * an alternative title equal to one of the nomination's, an unknown year the nomination's.
 * What the candidate already shows (its title, original title, year) stays as it is.
 *
 * Its IMDb ID, while unknown, is assumed not to agree: the caller has asked the source by
 * that ID already (TMDb's find misses only when no record carries it). A known ID counts.
 * A candidate whose best case is below the accept threshold cannot become the accepted one.
 */
export function bestCaseConfidence(target: MatchTarget, candidate: MatchCandidate): number {
  const idKnown = typeof candidate.imdbId === 'string';
  const hoped: MatchCandidate = {
    ...candidate,
    alternativeTitles: [
      ...(candidate.alternativeTitles ?? []),
      ...[target.title, target.originalTitle].filter((t): t is string => t !== undefined),
    ],
    directors: candidate.directors ?? target.directors,
    ...(candidate.year === undefined && target.year !== undefined ? { year: target.year } : {}),
    imdbId: idKnown ? candidate.imdbId : null,
  };
  const { imdbId: _unknown, ...withoutId } = target;
  const scored = scoreCandidate(idKnown ? target : withoutId, hoped);
  return scored.rejectedBecause === undefined ? scored.confidence : 0;
}

/**
 * Whether what a candidate already shows earns full credit: its own title (or original
 * title) matches the nomination's and its year is in the full-credit window or unknown.
 * Only such a candidate can be certain from one more call; a weaker one is better left
 * until every search has listed its candidates.
 */
export function ownEvidenceAgrees(scored: ScoredCandidate): boolean {
  const { titleSimilarity, matchedTitle, yearDistance } = scored.evidence;
  return (
    matchedTitle !== 'alternative' &&
    titleCredit(titleSimilarity) === 1 &&
    (yearDistance === null || yearScore(yearDistance) === 1)
  );
}
