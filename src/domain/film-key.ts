import { isImdbId } from './nomination.js';

/**
 * The film key: the Kafka message key of every event about a film and the natural key of
 * a movie without an IMDb ID. One film's nominations share a key, so they land on one
 * partition and are processed in order.
 */

// Letters NFKD does not decompose into a base letter and a mark.
const foldedLetters: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

/**
 * A deliberately simple title normaliser for keys: lower case, NFKD, diacritics stripped,
 * apostrophes dropped, other punctuation turned into spaces, spaces collapsed. The
 * matching engine has a richer one; this one must stay stable because keys are persisted.
 */
export function normalizeTitleForKey(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæœøđðłþı]/g, (c) => foldedLetters[c] ?? c)
    .replace(/['’ʼ`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** What a film key is built from: any film-shaped record (nomination film, movie, stub). */
export interface FilmKeyInput {
  imdbId?: string | null;
  title: string;
  year?: number | null;
}

/** `tt…` when the film has a valid IMDb ID, else `title:<normalised title>:<year|unknown>`. */
export function filmKey(film: FilmKeyInput): string {
  const imdbId = film.imdbId?.trim();
  if (imdbId !== undefined && isImdbId(imdbId)) return imdbId;
  const year = film.year ?? 'unknown';
  return `title:${normalizeTitleForKey(film.title)}:${year}`;
}
