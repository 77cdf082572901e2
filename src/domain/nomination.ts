/** A festival nomination as it arrives on `festival.nominations` (see schemas/nomination.avsc). */
export interface Nomination {
  /** Stable id from the producer; the natural key of the nomination. */
  nominationId: string;
  /** Festival and edition, for example `cannes_2025`. */
  festival: string;
  editionYear: number;
  category: string;
  film: NominatedFilm;
  people: string[];
  won: boolean;
  critical: boolean;
  /** Epoch milliseconds. */
  producedAt: number;
}

interface NominatedFilm {
  imdbId: string | null;
  title: string;
  originalTitle: string | null;
  year: number | null;
  directors: string[];
}

/** IMDb title IDs: `tt` and 7 to 10 digits. */
export const imdbIdPattern = /^tt\d{7,10}$/;

export function isImdbId(value: string): boolean {
  return imdbIdPattern.test(value);
}
