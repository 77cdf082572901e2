import { isImdbId } from '../domain/nomination.js';
import type { LookupOutcome } from './outcome.js';
import type { LookupContext, LookupQuery, MovieSource } from './source.js';

/**
 * What `lookup` means for every source: by IMDb ID first when the nomination has a valid
 * one, then by title when the ID is unknown to the source. Any other outcome of the ID
 * lookup (found, transient, auth…) is final: a transient failure must never turn into a
 * title search that could settle on a weaker match.
 */
export async function lookupByIdThenTitle(
  source: MovieSource,
  query: LookupQuery,
  ctx?: LookupContext,
): Promise<LookupOutcome> {
  if (query.imdbId === undefined || !isImdbId(query.imdbId)) return source.lookupByTitle(query, ctx);
  const byId = await source.lookupByImdbId(query.imdbId, query, ctx);
  if (byId.kind !== 'not_found') return byId;
  const byTitle = await source.lookupByTitle(query, ctx);
  const attempts = [...byId.attempts, ...byTitle.attempts];
  if (byTitle.kind === 'not_found')
    return { ...byTitle, attempts, candidates: [...byId.candidates, ...byTitle.candidates] };
  return { ...byTitle, attempts };
}
