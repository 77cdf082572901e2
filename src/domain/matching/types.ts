/** The film a nomination names, as the matcher sees it. */
export interface MatchTarget {
  title: string;
  originalTitle?: string;
  year?: number;
  directors: string[];
  imdbId?: string;
}

/** A candidate as a source sees it; directors/imdbId may be unknown before a details call. */
export interface MatchCandidate {
  id: string;
  title: string;
  originalTitle?: string;
  alternativeTitles?: string[];
  year?: number;
  directors?: string[];
  imdbId?: string | null;
  /** Shown to a curator beside the candidate; never part of the score. */
  posterUrl?: string;
}

/** What was measured between a target and a candidate; null means "not known on one side". */
export interface MatchEvidence {
  titleSimilarity: number;
  matchedTitle: 'title' | 'originalTitle' | 'alternative' | 'none';
  yearDistance: number | null;
  directorOverlap: number | null;
  imdbIdAgrees: boolean | null;
}

/** A candidate with its confidence in [0, 1] and the evidence behind it. */
export interface ScoredCandidate {
  candidate: MatchCandidate;
  confidence: number;
  evidence: MatchEvidence;
  rejectedBecause?: string;
}

/** Accept and review thresholds (defaults 0.75 / 0.6 come from config). */
export interface MatchThresholds {
  accept: number;
  review: number;
}

/** What to do with the scored candidates of one lookup. */
export type MatchDecision =
  | { kind: 'accept'; best: ScoredCandidate; ambiguous: false }
  | { kind: 'review'; best: ScoredCandidate; ambiguous: boolean; reason: 'low_confidence' | 'ambiguous' }
  | { kind: 'reject'; best?: ScoredCandidate };
