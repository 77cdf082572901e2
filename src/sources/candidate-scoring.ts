import type { NormalizedMovie, SourceName } from '../domain/movie.js';
import {
  decide,
  scoreCandidate,
  type MatchCandidate,
  type MatchDecision,
  type MatchTarget,
  type MatchThresholds,
  type ScoredCandidate,
} from '../domain/matching/index.js';
import type { CandidateSummary, LookupOutcome, UpstreamAttempt } from './outcome.js';
import type { LookupQuery } from './source.js';

/** The nominated film as the matcher sees it. */
export function toMatchTarget(query: LookupQuery): MatchTarget {
  return {
    title: query.title,
    ...(query.originalTitle ? { originalTitle: query.originalTitle } : {}),
    ...(query.year === undefined ? {} : { year: query.year }),
    directors: query.directors,
    ...(query.imdbId ? { imdbId: query.imdbId } : {}),
  };
}

/**
 * Scores one candidate. The IMDb-ID contradiction rule is enforced here too, whatever the
 * matcher's weights: a candidate whose own ID differs from the nomination's is never taken.
 */
export function score(target: MatchTarget, candidate: MatchCandidate): ScoredCandidate {
  const scored = scoreCandidate(target, candidate);
  if (target.imdbId && candidate.imdbId && target.imdbId !== candidate.imdbId) {
    return {
      ...scored,
      confidence: 0,
      rejectedBecause: scored.rejectedBecause ?? 'imdb_id_contradicts_nomination',
    };
  }
  return scored;
}

/** The matcher's decision over every candidate that is not rejected outright. */
export function judge(scored: ScoredCandidate[], thresholds: MatchThresholds): MatchDecision {
  return decide(
    scored.filter((s) => s.rejectedBecause === undefined),
    thresholds,
  );
}

function summarise(source: SourceName, s: ScoredCandidate): CandidateSummary {
  return {
    source,
    id: s.candidate.id,
    title: s.candidate.title,
    ...(s.candidate.originalTitle ? { originalTitle: s.candidate.originalTitle } : {}),
    ...(s.candidate.year === undefined ? {} : { year: s.candidate.year }),
    confidence: s.confidence,
    ...(s.rejectedBecause ? { rejectedBecause: s.rejectedBecause } : {}),
    evidence: {
      titleSimilarity: s.evidence.titleSimilarity,
      matchedTitle: s.evidence.matchedTitle,
      yearDistance: s.evidence.yearDistance,
      directorOverlap: s.evidence.directorOverlap,
      imdbIdAgrees: s.evidence.imdbIdAgrees,
    },
    ...(s.candidate.directors && s.candidate.directors.length > 0
      ? { directors: s.candidate.directors }
      : {}),
    ...(s.candidate.imdbId ? { imdbId: s.candidate.imdbId } : {}),
    ...(s.candidate.posterUrl ? { posterUrl: s.candidate.posterUrl } : {}),
  };
}

/** Candidates best first, for the review queue. */
export function summariseAll(source: SourceName, scored: ScoredCandidate[]): CandidateSummary[] {
  return [...scored].sort((a, b) => b.confidence - a.confidence).map((s) => summarise(source, s));
}

function evidenceRecord(s: ScoredCandidate): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(s.evidence)) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** A found outcome from a decision that kept a candidate (accept or review). */
export function foundOutcome(args: {
  source: SourceName;
  movie: NormalizedMovie;
  best: ScoredCandidate;
  decision: MatchDecision;
  strategy: string;
  scored: ScoredCandidate[];
  attempts: UpstreamAttempt[];
  /** A source may know a hit is less sure than its score says (see OMDb's title search). */
  certain?: boolean;
}): LookupOutcome {
  return {
    kind: 'found',
    movie: args.movie,
    confidence: args.best.confidence,
    certain: args.decision.kind === 'accept' && args.certain !== false,
    strategy: args.strategy,
    evidence: evidenceRecord(args.best),
    candidates: summariseAll(args.source, args.scored),
    attempts: args.attempts,
  };
}
