/**
 * The weights that turn evidence into confidence, in one place so that the benchmark
 * (`npm run bench:match`) can be read against them. Tuned on measured precision and
 * recall, not on particular films.
 */
export const weights = {
  title: 0.5,
  year: 0.25,
  directors: 0.25,
  /** Credit for year or directors when a side does not say: neither for nor against. */
  unknownYear: 0.5,
  unknownDirectors: 0.4,
  /** Multiplier when both sides name directors and none is shared: probably another film. */
  directorConflict: 0.8,
  /** Multiplier when both original titles are known, comparable and disagree. */
  originalTitleConflict: 0.8,
  /** Multiplier when the best title match is only one of the candidate's alternative titles. */
  alternativeTitle: 0.97,
  /** Two candidates closer than this, both at least at review level, are ambiguous. */
  ambiguityMargin: 0.1,
} as const;

/**
 * Maps raw title similarity to title evidence: near-identical titles keep almost all the
 * credit, and the credit falls fast below, since one different word makes another film.
 */
export function titleCredit(similarity: number): number {
  if (similarity >= 0.98) return 1;
  const x = Math.max(0, (similarity - 0.5) / 0.5);
  return x ** 2;
}
