import type { SourceName } from '../src/domain/movie.js';
import type { LookupOutcome } from '../src/sources/outcome.js';
import type { LookupQuery, MovieSource } from '../src/sources/source.js';

/**
 * A tiny stand-in for the resolver's chain, enough to measure matching: sources in order;
 * a certain hit stops the chain; an uncertain hit is kept for review while the later tiers
 * may still find a certain one; any failure moves on (the twin runs without faults here).
 */

/** What one nomination ended as, and what each source was asked. */
export interface ChainResult {
  kind: 'accepted' | 'review' | 'none';
  source?: SourceName;
  outcome?: Extract<LookupOutcome, { kind: 'found' }>;
  callsBySource: Record<SourceName, number>;
  /** Outcome kinds other than found / not_found, by source (should stay empty without faults). */
  failures: string[];
}

export async function runChain(sources: MovieSource[], query: LookupQuery): Promise<ChainResult> {
  const callsBySource: Record<SourceName, number> = { tmdb: 0, omdb: 0, imdb: 0 };
  const failures: string[] = [];
  let review: { source: SourceName; outcome: Extract<LookupOutcome, { kind: 'found' }> } | undefined;
  for (const source of sources) {
    // IMDb is only reachable through a validated IMDb ID.
    if (source.name === 'imdb' && query.imdbId === undefined) continue;
    const outcome = await source.lookup(query);
    callsBySource[source.name] += outcome.attempts.length;
    if (outcome.kind === 'found') {
      if (outcome.certain) return { kind: 'accepted', source: source.name, outcome, callsBySource, failures };
      if (!review || outcome.confidence > review.outcome.confidence)
        review = { source: source.name, outcome };
    } else if (outcome.kind !== 'not_found')
      failures.push(`${source.name}:${outcome.kind}:${outcome.reason}`);
  }
  if (review)
    return { kind: 'review', source: review.source, outcome: review.outcome, callsBySource, failures };
  return { kind: 'none', callsBySource, failures };
}
