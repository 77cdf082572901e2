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
  /** Only worth a call when the year-less title search did not fit on one page. */
  onlyIfTruncated?: boolean;
}

// Searches use `year`, which TMDb matches against every release date (festival premiere
// included), not `primary_release_year`, which drops films whose primary date is a later
// theatrical release or still empty — the usual state of a festival film.

/**
 * The search plan for a nominated film. Searches that would send the same query twice are
 * left out. A year-less search already covers year ± 1 (and films whose release date TMDb
 * does not know yet), so ± 1 is only asked when that search was cut at one page.
 */
export function planSearches(query: LookupQuery): SearchStrategy[] {
  const title = query.title.trim();
  const original = query.originalTitle?.trim();
  const hasOriginal =
    original !== undefined && original.length > 0 && original.toLowerCase() !== title.toLowerCase();
  const plan: SearchStrategy[] = [];
  if (query.year !== undefined) {
    plan.push({ name: 'title_year', query: title, year: query.year });
    if (hasOriginal) plan.push({ name: 'original_title_year', query: original, year: query.year });
  }
  plan.push({ name: 'title', query: title });
  if (hasOriginal) plan.push({ name: 'original_title', query: original });
  if (query.year !== undefined) {
    plan.push({ name: 'year_plus_one', query: title, year: query.year + 1, onlyIfTruncated: true });
    plan.push({ name: 'year_minus_one', query: title, year: query.year - 1, onlyIfTruncated: true });
  }
  const normalised = normaliseTitle(title);
  const asked = new Set([title.toLowerCase(), original?.toLowerCase()]);
  if (normalised.length > 0 && !asked.has(normalised))
    plan.push({ name: 'normalised_title', query: normalised });
  return plan;
}
