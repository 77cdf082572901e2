import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { announcedState, type ResolutionRecord, type ResolutionStore, type StoredMovie } from '../resolver/resolution-store.js';
import { collectionNames } from './collections.js';
import { attemptRecordFrom, LookupMetricsRepository } from './lookup-metrics-repository.js';
import type { StoredMovie as MovieRow } from './movie-merge.js';
import { MoviesRepository } from './movies-repository.js';
import { NominationsRepository } from './nominations-repository.js';
import { ReviewQueueRepository } from './review-queue-repository.js';

/** The movie row plus the state its last event announced (see announcedState). */
type AnnouncedMovie = MovieRow & { eventState?: string };

/**
 * The resolver's ResolutionStore on MongoDB: the movie (created, upgraded or left alone),
 * the nomination linked to it, one api_lookup_metrics document per upstream request and the
 * review item. Each write is idempotent by natural key; the attempts are new facts (a
 * replay that calls upstream again did spend again) and get fresh ids.
 */
export class MongoResolutionStore implements ResolutionStore {
  readonly movies: MoviesRepository;
  readonly nominations: NominationsRepository;
  readonly metrics: LookupMetricsRepository;
  readonly review: ReviewQueueRepository;

  constructor(private readonly db: Db) {
    this.movies = new MoviesRepository(db);
    this.nominations = new NominationsRepository(db);
    this.metrics = new LookupMetricsRepository(db);
    this.review = new ReviewQueueRepository(db);
  }

  async save(record: ResolutionRecord, now: Date): Promise<StoredMovie> {
    const { nomination, resolved } = record;
    const film = { imdbId: nomination.film.imdbId, title: nomination.film.title, originalTitle: nomination.film.originalTitle, year: nomination.film.year };
    const upsert = resolved
      ? await this.movies.upsertResolved({ film, movie: resolved.movie, importType: resolved.importType, confidence: resolved.confidence, sources: [resolved.source], now })
      : await this.movies.upsertStub(film, now);
    const document = upsert.document as AnnouncedMovie;
    if (upsert.previousKey !== undefined) await this.nominations.relinkMovie(upsert.previousKey, document.key, now);
    await this.nominations.record(nomination, document.key, now);

    const attempts = record.steps.flatMap((step) =>
      step.attempts.map((attempt) =>
        attemptRecordFrom(attempt, {
          attemptId: randomUUID(),
          fallback_level: step.level,
          confidence: step.confidence ?? null,
          movie_found: step.result === 'found',
          movie_created: upsert.created && step.reasonForFallback === null,
          import_type: document.importType,
          source_hierarchy: document.dataSourceHierarchy,
          festival: nomination.festival,
          reason_for_fallback: step.reasonForFallback,
        }),
      ),
    );
    if (attempts.length > 0) await this.metrics.recordAttempts(attempts);

    if (record.review !== undefined) {
      await this.review.open({ movieKey: document.key, reason: record.review.reason, candidates: record.review.candidates, nominationIds: [nomination.nominationId], now });
    }

    const needsEvent = document.eventState !== announcedState(document);
    const nominationIds = needsEvent ? (await this.nominations.findByMovie(document.key)).map((n) => n.nominationId) : [nomination.nominationId];
    return { document, created: upsert.created, changed: upsert.changed, needsEvent, nominationIds };
  }

  async markEventPublished(movieKey: string, state: string): Promise<void> {
    await this.db.collection<AnnouncedMovie>(collectionNames.movies).updateOne({ key: movieKey }, { $set: { eventState: state } });
  }
}
