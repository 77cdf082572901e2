/**
 * Year evidence. Festivals list their edition year, which is often the year before the
 * film's release year, so a candidate released in the festival year or the next one gets
 * full credit; a year earlier (a premiere elsewhere) or two later (a slow release) gets
 * partial credit; a few years more, almost none. Further still (five years before, six
 * after) counts against: with no ID to settle it, a film of the same title, even by the
 * same director, that far from the nominated year is a remake or a namesake far more
 * often than the film itself, so title and directors together must not accept it.
 */

/** Credit for a year too far from the nominated one: evidence against. */
const farYearCredit = -0.4;

/** Signed distance candidate year - target year, or null when either is unknown. */
export function yearDistance(
  targetYear: number | undefined,
  candidateYear: number | undefined,
): number | null {
  if (targetYear === undefined || candidateYear === undefined) return null;
  return candidateYear - targetYear;
}

/** Credit in [farYearCredit, 1] for a signed year distance. */
export function yearScore(distance: number): number {
  if (distance === 0 || distance === 1) return 1;
  if (distance === -1 || distance === 2) return 0.5;
  if (distance === -2 || distance === 3) return 0.35;
  if (distance >= -4 && distance <= 5) return 0.1;
  return farYearCredit;
}
