import { normaliseTitle } from '../domain/matching/index.js';
import type { LookupQuery } from './source.js';

/** One title search TMDb may be asked, in the order they are tried. */
export interface SearchStrategy {
  name:
    | 'title_year'
    | 'original_title_year'
    | 'title'
    | 'original_title'
    | 'year_plus_one'
    | 'year_minus_one'
    | 'normalised_title';
  query: string;
  year?: number;
  /**
   * Only worth a call when this year-less search did not fit on one page: a year-filtered
   * search returns a subset of the year-less one, so it can add a film only when the
   * year-less answer was cut.
   */
  onlyIfTruncated?: 'title' | 'original_title';
}

// Searches use `year`, which TMDb matches against every release date (festival premiere
// included), not `primary_release_year`, which drops films whose primary date is a later
// theatrical release or still empty — the usual state of a festival film.

/**
 * The search plan for a nominated film. The year-less title search comes first: TMDb's `year`
 * filter only narrows it, so a year-filtered search (and year ± 1) is asked only when the
 * year-less answer was cut at one page — then it reaches films the first page did not show.
 * Searches that would send the same query twice are left out. The lookup stops as soon as a
 * candidate is certain.
 */
export function planSearches(query: LookupQuery): SearchStrategy[] {
  const title = query.title.trim();
  const original = query.originalTitle?.trim();
  const hasOriginal =
    original !== undefined && original.length > 0 && original.toLowerCase() !== title.toLowerCase();
  const plan: SearchStrategy[] = [{ name: 'title', query: title }];
  if (query.year !== undefined)
    plan.push({ name: 'title_year', query: title, year: query.year, onlyIfTruncated: 'title' });
  if (hasOriginal) {
    plan.push({ name: 'original_title', query: original });
    if (query.year !== undefined)
      plan.push({
        name: 'original_title_year',
        query: original,
        year: query.year,
        onlyIfTruncated: 'original_title',
      });
  }
  if (query.year !== undefined) {
    plan.push({ name: 'year_plus_one', query: title, year: query.year + 1, onlyIfTruncated: 'title' });
    plan.push({ name: 'year_minus_one', query: title, year: query.year - 1, onlyIfTruncated: 'title' });
  }
  const normalised = normaliseTitle(title);
  const asked = new Set([title, original].filter((t) => t !== undefined).map(searchWords));
  if (normalised.length > 0 && !asked.has(searchWords(normalised)))
    plan.push({ name: 'normalised_title', query: normalised });
  return plan;
}

/**
 * A query as TMDb's search reads it: case, accents and punctuation do not change what it
 * finds, so a normalised title that differs from one already asked only in those is the
 * same search. Dropped articles, numbers and `&` do change it.
 */
function searchWords(query: string): string {
  return query
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .join(' ');
}
