import type { MatchCandidate, MatchEvidence, MatchTarget, ScoredCandidate } from './types.js';
import { foldDiacritics } from './normalise.js';
import { prepareTitle, preparedSimilarity, titleSimilarity, type PreparedTitle } from './similarity.js';
import { yearDistance, yearScore } from './year.js';
import { directorOverlap } from './directors.js';
import { titleCredit, weights } from './evidence-weights.js';

interface TitleMatch {
  similarity: number;
  matchedTitle: MatchEvidence['matchedTitle'];
}

function present(value: string | undefined | null): value is string {
  return value !== undefined && value !== null && value.trim() !== '';
}

/** Best similarity between any of the target's titles and any of the candidate's. */
function bestTitleMatch(target: MatchTarget, candidate: MatchCandidate): TitleMatch {
  const targetTitles: PreparedTitle[] = [target.title, target.originalTitle]
    .filter(present)
    .map(prepareTitle);
  const candidateTitles: [string | undefined, MatchEvidence['matchedTitle']][] = [
    [candidate.title, 'title'],
    [candidate.originalTitle, 'originalTitle'],
    ...(candidate.alternativeTitles ?? []).map((t): [string, MatchEvidence['matchedTitle']] => [
      t,
      'alternative',
    ]),
  ];
  let best: TitleMatch = { similarity: 0, matchedTitle: 'none' };
  for (const [title, kind] of candidateTitles) {
    if (!present(title)) continue;
    const theirs = prepareTitle(title);
    for (const own of targetTitles) {
      const raw = preparedSimilarity(own, theirs);
      const similarity = kind === 'alternative' ? raw * weights.alternativeTitle : raw;
      if (similarity > best.similarity) best = { similarity, matchedTitle: kind };
    }
  }
  return best;
}

// Only Latin-script titles can be compared as spelled; a romanised title against one in
// its own script (Japanese, Chinese, Korean…) says nothing either way.
function comparable(title: string): boolean {
  return /^[\p{Script=Latin}\p{N}\p{P}\p{Z}\p{S}]*$/u.test(foldDiacritics(title));
}

/**
 * True when the target has an original title of its own, the candidate another one: the
 * trap of a film whose original title is the nominated film's English title.
 */
function originalTitlesConflict(target: MatchTarget, candidate: MatchCandidate): boolean {
  const own = target.originalTitle;
  const theirs = candidate.originalTitle;
  if (!present(own) || !present(theirs) || !comparable(own) || !comparable(theirs)) return false;
  if (titleSimilarity(own, target.title) >= 0.9) return false;
  return titleSimilarity(own, theirs) < 0.5;
}

function rejected(candidate: MatchCandidate, evidence: MatchEvidence, reason: string): ScoredCandidate {
  return { candidate, confidence: 0, evidence, rejectedBecause: reason };
}

/** Scores one candidate against the nominated film from the evidence alone. */
export function scoreCandidate(target: MatchTarget, candidate: MatchCandidate): ScoredCandidate {
  const title = bestTitleMatch(target, candidate);
  const distance = yearDistance(target.year, candidate.year);
  const overlap = directorOverlap(target.directors, candidate.directors);
  const targetId = target.imdbId?.trim();
  const candidateId = candidate.imdbId?.trim();
  const imdbIdAgrees = present(targetId) && present(candidateId) ? targetId === candidateId : null;
  const evidence: MatchEvidence = {
    titleSimilarity: round(title.similarity),
    matchedTitle: title.matchedTitle,
    yearDistance: distance,
    directorOverlap: overlap === null ? null : round(overlap),
    imdbIdAgrees,
  };
  // An ID is the one piece of evidence no title can outweigh, in either direction.
  if (imdbIdAgrees === false) return rejected(candidate, evidence, 'imdb_id_mismatch');
  if (imdbIdAgrees === true) return { candidate, confidence: 1, evidence };

  let confidence =
    weights.title * titleCredit(title.similarity) +
    weights.year * (distance === null ? weights.unknownYear : yearScore(distance)) +
    weights.directors * (overlap === null ? weights.unknownDirectors : overlap);
  if (overlap === 0) confidence *= weights.directorConflict;
  if (originalTitlesConflict(target, candidate)) confidence *= weights.originalTitleConflict;
  return { candidate, confidence: round(Math.min(1, Math.max(0, confidence))), evidence };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
