import type { ImportType, SourceName } from '../domain/movie.js';
import { movieResolvedEvent } from '../domain/movie-events.js';
import type { HealthState } from '../http/health-state.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import type { EnrichmentSchedule } from '../persistence/enrichment-schedule.js';
import type { StoredMovie } from '../persistence/movie-merge.js';
import type { MongoResolutionStore } from '../persistence/mongo-resolution-store.js';
import type { NominationDocument } from '../persistence/nominations-repository.js';
import type { ChainResult, ResolutionChain } from '../resolver/chain.js';
import type { EventPublisher } from '../resolver/ports.js';
import { announcedState } from '../resolver/resolution-store.js';
import { recordEnrichmentAttempts } from './enrichment-attempts.js';
import { enrichmentQuery, matchesCuratorIds } from './enrichment-query.js';

/** What the enrichment job needs; src/enrichment/open-enrichment.ts wires it from the config. */
export interface EnrichmentDeps {
  /** The service's chain (the same budgets, rate limits and breakers as the consumer). */
  chain: ResolutionChain;
  store: MongoResolutionStore;
  events: EventPublisher;
  metrics?: ResolverMetrics;
  health?: HealthState;
  /** The variable holding each source's key (sourceKeyVariables), named when a key is rejected. */
  keyVariables?: Partial<Record<SourceName, string>>;
  logger: Logger;
  /** Movies per pass at most (config.enrichment.maxPerPass). */
  maxPerPass: number;
  schedule?: EnrichmentSchedule;
  now?: () => Date;
}

/** What enrichment did to one movie. */
export type EnrichOutcome =
  | { kind: 'upgraded'; movieKey: string; from: ImportType; to: ImportType; source: SourceName }
  /** Same import type, better data (higher confidence, or a curator's film replacing a wrong match). */
  | { kind: 'refreshed'; movieKey: string; importType: ImportType; source: SourceName }
  | { kind: 'unchanged'; movieKey: string; reason: string }
  | { kind: 'skipped_locked'; movieKey: string }
  /** A transient failure or an exhausted retry: the schedule tries again later. */
  | { kind: 'failed'; movieKey: string; reason: string }
  /** A source rejected its key: the pass stops, the operator must act. */
  | { kind: 'auth_failed'; movieKey: string; source: SourceName; reason: string }
  | { kind: 'not_found'; movieKey: string };

type Resolved = Extract<ChainResult, { kind: 'resolved' }>;

/** Review reasons that an upgrade out of stub answers (the film was simply unknown then). */
const answeredByUpgrade = new Set(['all_sources_failed', 'stale_stub']);

/**
 * Looks one movie up again through the chain and folds a better answer in: never a
 * downgrade, never over a curator's lock (unless `curated`: the query then is the
 * curator's IDs and only an answer agreeing with them is written). Every attempt is
 * recorded, `lastEnrichmentAttempt` is set whatever happens, and a changed movie is
 * announced on movie.resolved.
 */
export async function enrichStoredMovie(
  deps: EnrichmentDeps,
  movie: StoredMovie,
  options: { curated: boolean },
): Promise<EnrichOutcome> {
  const log = deps.logger.child({ component: 'enrichment' });
  const { store } = deps;
  const now = deps.now?.() ?? new Date();
  if (movie.locked.includes('match') && !options.curated)
    return { kind: 'skipped_locked', movieKey: movie.key };

  const nominations = await store.nominations.findByMovie(movie.key);
  const query = enrichmentQuery(movie, nominations, options);
  // attempt 1: a transient failure asks for a retry, which here means "next pass", never a fall-through to a paid tier.
  const result = await deps.chain.resolve(query, {
    critical: nominations.some((n) => n.critical),
    attempt: 1,
    // A remembered miss is precisely what enrichment asks again: a source may have learnt the film since.
    cachedMisses: 'recheck',
  });
  countSkips(deps, result);

  let outcome: EnrichOutcome;
  let finalKey = movie.key;
  switch (result.kind) {
    case 'auth_failed': {
      const reason = `${result.source} rejected the API key (${result.reason}); fix ${deps.keyVariables?.[result.source] ?? 'its key variable'}`;
      deps.metrics?.upstreamAuthFailures.inc({ source: result.source });
      deps.health?.setProblem(`source:${result.source}`, reason);
      log.error(
        { source: result.source, movieKey: movie.key },
        'upstream auth failure: enrichment pass stops',
      );
      outcome = { kind: 'auth_failed', movieKey: movie.key, source: result.source, reason };
      break;
    }
    case 'retry':
      outcome = { kind: 'failed', movieKey: movie.key, reason: `${result.source}: ${result.reason}` };
      break;
    case 'stub':
      // A doubtful match stays a stub; the curator sees its candidates in the review queue.
      if (result.review.reason !== 'all_sources_failed' && !options.curated)
        await store.review.open({
          movieKey: movie.key,
          reason: result.review.reason,
          candidates: result.review.candidates,
          nominationIds: nominations.map((n) => n.nominationId),
          now,
        });
      outcome = {
        kind: 'unchanged',
        movieKey: movie.key,
        reason: result.review.reason === 'all_sources_failed' ? 'all_sources_failed' : 'uncertain_match',
      };
      break;
    case 'resolved': {
      if (options.curated && !matchesCuratorIds(movie, result.movie)) {
        outcome = { kind: 'unchanged', movieKey: movie.key, reason: 'answer_contradicts_curator_ids' };
        break;
      }
      const written = await writeResolved(deps, movie, nominations, result, options, now);
      finalKey = written.movieKey;
      outcome = written;
      break;
    }
  }

  const document = await store.movies.get(finalKey);
  await recordEnrichmentAttempts(store.metrics, result.steps, {
    festival: nominations[0]?.festival ?? null,
    movie: document,
    created: false,
  });
  await store.movies.markEnrichmentAttempt(finalKey, now, deps.schedule);
  log.info(
    { movieKey: finalKey, outcome: outcome.kind, from: movie.importType, to: document?.importType },
    'movie enrichment attempted',
  );
  return outcome;
}

async function writeResolved(
  deps: EnrichmentDeps,
  movie: StoredMovie,
  nominations: NominationDocument[],
  result: Resolved,
  options: { curated: boolean },
  now: Date,
): Promise<EnrichOutcome> {
  const { store } = deps;
  const film = {
    imdbId: movie.imdbId ?? null,
    title: movie.title,
    originalTitle: movie.originalTitle ?? null,
    year: movie.year ?? null,
  };
  const upsert = await store.movies.upsertResolved({
    film,
    movie: result.movie,
    importType: result.importType,
    // The curator confirmed the match: the evidence is theirs, not the matcher's.
    confidence: options.curated ? 1 : result.confidence,
    sources: [result.source],
    now,
    curated: options.curated,
    // The movie's own title, not a nomination's: no evidence for matching stubs by title.
    recordTitleKey: false,
    answeredBy: 'enrichment',
    sameFilmAs: movie.key,
  });
  const doc = upsert.document;
  if (upsert.previousKey !== undefined) await store.nominations.relinkMovie(upsert.previousKey, doc.key, now);
  // One film, one movie: the answer may show the movie to be one already stored; the merge
  // relinked the nominations, so the event names them all (and the keys it replaces).
  const replacesKeys = doc.replacesKeys ?? [];
  const linked =
    doc.key === movie.key && upsert.mergedKeys.length === 0
      ? nominations
      : await store.nominations.findByMovie(doc.key);

  if (!options.curated) {
    if (doc.importType !== 'stub') {
      // A re-keyed or merged movie's item has moved to its key already (movie-merger.ts).
      const reviewKey = doc.key;
      const open = await store.review.get(reviewKey);
      if (open?.status === 'open' && answeredByUpgrade.has(open.reason)) {
        await store.review.resolve(
          reviewKey,
          {
            ...(doc.imdbId === undefined ? {} : { imdbId: doc.imdbId }),
            ...(doc.tmdbId === undefined ? {} : { tmdbId: doc.tmdbId }),
            by: 'enrichment',
          },
          now,
        );
      }
    }
  }

  // A curator's fix can change the IDs without changing the announced state: announce it anyway.
  if (
    (upsert.changed &&
      (options.curated || !(await store.announcements.isAnnounced(doc.key, announcedState(doc))))) ||
    replacesKeys.length > 0
  ) {
    await deps.events.resolved(
      doc.key,
      movieResolvedEvent(doc, {
        nominationIds: linked.map((n) => n.nominationId),
        festival: linked[0]?.festival ?? null,
        at: now,
        upgradedFromStub: movie.importType === 'stub' && doc.importType !== 'stub',
        replacesKeys,
      }),
    );
    await store.markEventPublished(doc.key, announcedState(doc), replacesKeys);
  }

  // The stub enriched may have gone into a better movie of the same film: an upgrade too.
  const levels: Record<ImportType, number> = { stub: 0, minimal: 1, full: 2 };
  if (upsert.upgraded || (doc.key !== movie.key && levels[doc.importType] > levels[movie.importType])) {
    deps.metrics?.enrichmentUpgrades.inc({ from: movie.importType, to: doc.importType });
    return {
      kind: 'upgraded',
      movieKey: doc.key,
      from: movie.importType,
      to: doc.importType,
      source: result.source,
    };
  }
  if (upsert.changed)
    return { kind: 'refreshed', movieKey: doc.key, importType: doc.importType, source: result.source };
  return {
    kind: 'unchanged',
    movieKey: doc.key,
    reason: 'no_better_match',
  };
}

function countSkips(deps: EnrichmentDeps, result: ChainResult): void {
  for (const step of result.steps) {
    if (step.result === 'skipped' && step.reasonForFallback !== null)
      deps.metrics?.tierSkipped.inc({ source: step.source, reason: step.reasonForFallback });
  }
}

/**
 * A curator's decision: looks the movie up with its locked IMDb / TMDb ID, whatever the
 * schedule says, and writes what agrees with those IDs.
 */
export async function enrichMovie(deps: EnrichmentDeps, movieKey: string): Promise<EnrichOutcome> {
  const movie = await deps.store.movies.get(movieKey);
  if (movie === null) return { kind: 'not_found', movieKey };
  return enrichStoredMovie(deps, movie, { curated: movie.locked.includes('match') });
}
