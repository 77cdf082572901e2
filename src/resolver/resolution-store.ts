import type { MovieDocument, NormalizedMovie, SourceName } from '../domain/movie.js';
import type { Nomination } from '../domain/nomination.js';
import type { MovieEventDue, NominationStanding, NominationWrite } from '../domain/nomination-identity.js';
import type { CandidateSummary } from '../sources/outcome.js';
import type { ReviewReason, TierStep } from './ports.js';

/** What the processor writes for one nomination, whatever the chain said. */
export interface ResolutionRecord {
  nomination: Nomination;
  movieKey: string;
  /** The resolved film, absent for a stub. */
  resolved?: {
    source: SourceName;
    importType: 'full' | 'minimal';
    movie: NormalizedMovie;
    confidence: number;
    strategy: string;
  };
  review?: { reason: ReviewReason; candidates: CandidateSummary[] };
  steps: TierStep[];
  /** Where this message came from, so replays of it write the same attempt ids. */
  origin: string;
}

/** The movie after the write, and whether the write created or improved it. */
export interface MovieWriteResult {
  document: MovieDocument;
  created: boolean;
  changed: boolean;
  /** True while the movie's current state has not been announced on movie.resolved / movie.stub. */
  needsEvent: boolean;
  nominationIds: string[];
  /** What became of the nomination (a version that lost a race to a newer one comes back stale). */
  nomination: NominationWrite;
  /**
   * Keys of movies this one replaced (re-keyed or merged into it: one film, one movie) that
   * no event has named yet; the event carries them in `replacesKeys`.
   */
  replacesKeys: string[];
}

/** A movie as its event announces it now: the document and its nominations. */
export interface MovieAnnouncement {
  document: MovieDocument;
  nominationIds: string[];
  /** Festival of its first nomination, if any is left. */
  festival: string | null;
  /** Why it waits in the review queue, when it does (the reason of a stub event). */
  reviewReason?: ReviewReason;
}

/**
 * The MongoDB side of one resolution, as a port: movies, nominations, lookup metrics and
 * the review queue. Every write is idempotent by natural key, so a redelivered message
 * changes nothing and duplicates nothing.
 */
export interface ResolutionStore {
  save(record: ResolutionRecord, now: Date): Promise<MovieWriteResult>;
  /** Records the upstream requests of a pass that wrote no movie (retry, dead letter, auth failure): money spent is still spent. */
  recordAttempts(nomination: Nomination, steps: TierStep[]): Promise<void>;
  /** Called once the movie's event (naming `replacesKeys`) is durable on Kafka. */
  markEventPublished(movieKey: string, state: string, replacesKeys?: readonly string[]): Promise<void>;
  /** How a version compares with the stored nomination of its id, read before anything is resolved. */
  nominationStanding(nomination: Nomination): Promise<NominationStanding>;
  /** The movie's current announcement, for an event owed after a nomination moved (null once it is gone). */
  movieAnnouncement(movieKey: string): Promise<MovieAnnouncement | null>;
  /** Called once an owed movie event is durable on Kafka. */
  markEventDuePublished(nominationId: string, due: MovieEventDue): Promise<void>;
}

/** The state an event announces: a new event is due whenever it changes. */
export function announcedState(document: Pick<MovieDocument, 'importType' | 'dataSourceHierarchy'>): string {
  return `${document.importType}:${document.dataSourceHierarchy.join('>')}`;
}
