import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { ImportType, SourceName } from '../domain/movie.js';
import type { Nomination } from '../domain/nomination.js';
import {
  nominationStanding,
  type MovieEventDue,
  type NominationStanding,
  type NominationWrite,
} from '../domain/nomination-identity.js';
import type { TierStep } from '../resolver/ports.js';
import {
  announcedState,
  type MovieAnnouncement,
  type ResolutionRecord,
  type ResolutionStore,
  type MovieWriteResult,
} from '../resolver/resolution-store.js';
import { AnnouncementsRepository } from './announcements-repository.js';
import { attemptRecordFrom, LookupMetricsRepository } from './lookup-metrics-repository.js';
import type { StoredMovie as MovieRow } from './movie-merge.js';
import { MovieMerger } from './movie-merger.js';
import { MoviesRepository } from './movies-repository.js';
import { NominationsRepository } from './nominations-repository.js';
import { ReviewQueueRepository } from './review-queue-repository.js';

/** A newer version of the nomination was already stored (a race lost after the pre-check): it is not this one's review. */
function superseded(recorded: NominationWrite): boolean {
  return recorded.kind === 'stale' || recorded.kind === 'conflict';
}

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
  readonly announcements: AnnouncementsRepository;
  private readonly merger: MovieMerger;

  constructor(db: Db) {
    this.movies = new MoviesRepository(db);
    this.nominations = new NominationsRepository(db);
    this.metrics = new LookupMetricsRepository(db);
    this.review = new ReviewQueueRepository(db);
    this.announcements = new AnnouncementsRepository(db);
    this.merger = new MovieMerger(db);
  }

  async save(record: ResolutionRecord, now: Date): Promise<MovieWriteResult> {
    const { nomination, resolved } = record;
    const film = {
      imdbId: nomination.film.imdbId,
      title: nomination.film.title,
      originalTitle: nomination.film.originalTitle,
      year: nomination.film.year,
    };
    const upsert = resolved
      ? await this.movies.upsertResolved({
          film,
          movie: resolved.movie,
          importType: resolved.importType,
          confidence: resolved.confidence,
          sources: [resolved.source],
          now,
        })
      : await this.movies.upsertStub(film, now);
    const written: MovieRow = upsert.document;
    if (upsert.previousKey !== undefined)
      await this.nominations.relinkMovie(upsert.previousKey, written.key, now);
    const recorded = await this.nominations.record(nomination, written.key, now, {
      joinsExisting: !upsert.created,
    });
    // One film, one movie: a merge that ran between the movie write and this one has
    // relinked the film's other nominations already; this one follows it too, and the
    // outcome is the survivor's, which owes an event listing it (the merge announced it
    // without this nomination).
    const survivorKey = await this.merger.followMerged(written.key, now);
    const survivor = survivorKey === undefined ? null : await this.movies.get(survivorKey);
    const document: MovieRow = survivor ?? written;

    await this.writeAttempts(nomination, record.steps, {
      created: upsert.created,
      importType: document.importType,
      hierarchy: document.dataSourceHierarchy,
    });

    // A film another nomination resolved (the same movie, or one merged into it) needs no curator.
    if (record.review !== undefined && !superseded(recorded) && document.importType === 'stub') {
      await this.review.open({
        movieKey: document.key,
        reason: record.review.reason,
        candidates: record.review.candidates,
        nominationIds: [nomination.nominationId],
        now,
      });
    }

    // A movie created just now has never been announced and has no other nomination yet
    // (nominations are linked only after their movie is written); only an existing movie
    // needs the announced-state lookup and, when due, the query of its nominations.
    const replacesKeys = document.replacesKeys ?? [];
    const fresh =
      upsert.created &&
      upsert.previousKey === undefined &&
      upsert.mergedKeys.length === 0 &&
      survivor === null;
    const needsEvent =
      fresh ||
      survivor !== null ||
      replacesKeys.length > 0 ||
      !(await this.announcements.isAnnounced(document.key, announcedState(document)));
    const nominationIds =
      !needsEvent || fresh
        ? [nomination.nominationId]
        : (await this.nominations.findByMovie(document.key)).map((n) => n.nominationId);
    return {
      document,
      created: upsert.created,
      changed: upsert.changed,
      needsEvent,
      nominationIds,
      nomination: recorded,
      replacesKeys,
    };
  }

  async recordAttempts(nomination: Nomination, steps: TierStep[]): Promise<void> {
    await this.writeAttempts(nomination, steps, undefined);
  }

  private async writeAttempts(
    nomination: Nomination,
    steps: TierStep[],
    movie: { created: boolean; importType: ImportType; hierarchy: SourceName[] } | undefined,
  ): Promise<void> {
    const attempts = steps.flatMap((step) =>
      step.attempts.map((attempt) =>
        attemptRecordFrom(attempt, {
          attemptId: randomUUID(),
          fallback_level: step.level,
          confidence: step.confidence ?? null,
          movie_found: step.result === 'found',
          movie_created: movie !== undefined && movie.created && step.reasonForFallback === null,
          import_type: movie?.importType ?? null,
          source_hierarchy: movie?.hierarchy ?? [],
          festival: nomination.festival,
          reason_for_fallback: step.reasonForFallback ?? (movie === undefined ? step.result : null),
        }),
      ),
    );
    if (attempts.length > 0) await this.metrics.recordAttempts(attempts);
  }

  async markEventPublished(
    movieKey: string,
    state: string,
    replacesKeys: readonly string[] = [],
  ): Promise<void> {
    await this.announcements.markAnnounced(movieKey, state, replacesKeys);
  }

  async nominationStanding(nomination: Nomination): Promise<NominationStanding> {
    return nominationStanding(nomination, await this.nominations.get(nomination.nominationId));
  }

  async movieAnnouncement(movieKey: string): Promise<MovieAnnouncement | null> {
    const document = await this.movies.get(movieKey);
    if (document === null) return null;
    const nominations = await this.nominations.findByMovie(movieKey);
    const review = document.importType === 'stub' ? await this.review.get(movieKey) : null;
    return {
      document,
      nominationIds: nominations.map((n) => n.nominationId),
      festival: nominations[0]?.festival ?? null,
      ...(review?.status === 'open' ? { reviewReason: review.reason } : {}),
    };
  }

  async markEventDuePublished(nominationId: string, due: MovieEventDue): Promise<void> {
    await this.nominations.eventAnnounced(nominationId, due);
  }
}
