import type { NormalizedMovie, SourceName } from '../domain/movie.js';

/** What the matcher saw for one candidate (kept for the review queue and metrics). */
export interface CandidateSummary {
  source: SourceName;
  id: string;
  title: string;
  originalTitle?: string;
  year?: number;
  confidence: number;
  rejectedBecause?: string;
  /** What the matcher measured against the nomination (items stored before it was kept lack it). */
  evidence?: CandidateEvidence;
  directors?: string[];
  /** The candidate's own IMDb ID when the source gave one. */
  imdbId?: string;
  posterUrl?: string;
}

/** The evidence behind a candidate's confidence, as the review queue keeps it. */
export interface CandidateEvidence {
  titleSimilarity: number;
  matchedTitle: string;
  /** null: the year is unknown on one side. */
  yearDistance: number | null;
  directorOverlap: number | null;
  /** true: same IMDb ID as the nomination; false: a different one; null: not known. */
  imdbIdAgrees: boolean | null;
}

/** One upstream HTTP request, as recorded in api_lookup_metrics. */
export interface UpstreamAttempt {
  source: SourceName;
  operation: string;
  identifier: string;
  strategy: string;
  /** true when the upstream answered as designed: a hit or a clean miss (OMDb "Movie not found!", Zyte target 404). */
  success: boolean;
  responseTimeMs: number;
  costUsd: number;
  status?: number;
  errorMessage?: string;
}

interface OutcomeBase {
  /** Every upstream request made for this lookup, in order. */
  attempts: UpstreamAttempt[];
}

/** The result of one source lookup: outcomes are data, never exceptions. */
export type LookupOutcome =
  | (OutcomeBase & {
      kind: 'found';
      movie: NormalizedMovie;
      confidence: number;
      /** false when two strong candidates compete, or confidence is below the accept threshold. */
      certain: boolean;
      strategy: string;
      evidence: Record<string, number | string | boolean>;
      candidates: CandidateSummary[];
    })
  | (OutcomeBase & { kind: 'not_found'; candidates: CandidateSummary[] })
  | (OutcomeBase & { kind: 'transient'; reason: string; status?: number; retryAfterMs?: number })
  | (OutcomeBase & { kind: 'quota_exhausted'; reason: string })
  | (OutcomeBase & { kind: 'auth_failed'; reason: string })
  | (OutcomeBase & { kind: 'blocked'; reason: string })
  | (OutcomeBase & { kind: 'invalid_response'; reason: string });

/** Every outcome that is neither a hit nor a clean miss: upstream trouble, as data. */
export type FailureOutcome = Exclude<LookupOutcome, { kind: 'found' } | { kind: 'not_found' }>;
export type FailureKind = FailureOutcome['kind'];
