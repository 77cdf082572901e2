import { movieResolvedEvent, movieStubEvent } from '../domain/movie-events.js';
import type { MovieDocument, SourceName } from '../domain/movie.js';
import type { Nomination } from '../domain/nomination.js';
import type { ChainResult } from './chain.js';
import type { EventPublisher } from './ports.js';
import {
  announcedState,
  type MovieAnnouncement,
  type MovieWriteResult,
  type ResolutionStore,
} from './resolution-store.js';

/**
 * The events a recorded nomination owes: its movie's, when the write changed what was
 * announced, and those of the movies its move touched. Each is marked announced only once
 * Kafka has it, so a crash in between publishes it again on redelivery (at least once).
 */
export class MovieAnnouncer {
  constructor(private readonly deps: { store: ResolutionStore; events: EventPublisher }) {}

  async afterWrite(
    nomination: Nomination,
    stored: MovieWriteResult,
    result: ChainResult,
    now: Date,
  ): Promise<void> {
    if (stored.needsEvent) await this.publish(nomination, stored, result, now);
    await this.publishEventsDue(nomination, stored, now);
  }

  private async publish(
    nomination: Nomination,
    stored: MovieWriteResult,
    result: ChainResult,
    now: Date,
  ): Promise<void> {
    await this.emit(
      stored.document,
      {
        nominationIds: stored.nominationIds,
        festival: nomination.festival,
        stubReason: result.kind === 'stub' ? result.review.reason : 'all_sources_failed',
        sourcesTried: [
          ...new Set(result.steps.filter((s) => s.attempts.length > 0 || s.fromCache).map((s) => s.source)),
        ],
        replacesKeys: stored.replacesKeys,
      },
      now,
    );
  }

  /**
   * The events a nomination's move owes, each movie once with its current nominations: the
   * movie it left no longer lists it, the one it joined does. Each is cleared once durable,
   * so a crash publishes it again on redelivery.
   */
  private async publishEventsDue(nomination: Nomination, stored: MovieWriteResult, now: Date): Promise<void> {
    const due = stored.nomination.eventsDue;
    for (const movieKey of new Set(due.map((d) => d.movieKey))) {
      // The movie's own event, just published, already lists its nominations after the write.
      if (!(stored.needsEvent && movieKey === stored.document.key)) {
        const movie = await this.deps.store.movieAnnouncement(movieKey);
        if (movie !== null) await this.announce(movie, now);
      }
      for (const entry of due.filter((d) => d.movieKey === movieKey))
        await this.deps.store.markEventDuePublished(nomination.nominationId, entry);
    }
  }

  private async announce(movie: MovieAnnouncement, now: Date): Promise<void> {
    await this.emit(
      movie.document,
      {
        nominationIds: movie.nominationIds,
        festival: movie.festival,
        stubReason: movie.reviewReason ?? 'all_sources_failed',
        // Not a lookup: the event announces the movie's new list of nominations.
        sourcesTried: [],
        // A move of a nomination replaces no movie; a merge names its keys in its own event.
        replacesKeys: [],
      },
      now,
    );
  }

  /** Publishes the movie's event (resolved or stub, by its import type), then records it as announced. */
  private async emit(
    doc: MovieDocument,
    facts: {
      nominationIds: string[];
      festival: string | null;
      stubReason: string;
      sourcesTried: SourceName[];
      replacesKeys: string[];
    },
    now: Date,
  ): Promise<void> {
    const context = { nominationIds: facts.nominationIds, festival: facts.festival, at: now };
    if (doc.importType === 'stub')
      await this.deps.events.stub(
        doc.key,
        movieStubEvent(doc, {
          ...context,
          reason: facts.stubReason,
          sourcesTried: facts.sourcesTried,
          replacesKeys: facts.replacesKeys,
        }),
      );
    else
      await this.deps.events.resolved(
        doc.key,
        movieResolvedEvent(doc, { ...context, upgradedFromStub: false, replacesKeys: facts.replacesKeys }),
      );
    await this.deps.store.markEventPublished(doc.key, announcedState(doc), facts.replacesKeys);
  }
}
