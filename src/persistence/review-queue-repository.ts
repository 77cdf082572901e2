import type { Collection, Db, Filter } from 'mongodb';
import type { SourceName } from '../domain/movie.js';
import type { ReviewReason } from '../resolver/ports.js';
import type { CandidateSummary } from '../sources/outcome.js';
import { FestivalResolverError } from '../errors.js';
import { collectionNames } from './collections.js';
import { isDuplicateKeyError } from './mongo-errors.js';
import { singleBatch } from './single-batch.js';

/**
 * `review_queue`: films a curator should look at. One OPEN item per movie, enforced by a
 * sparse unique `openKey` that holds the movie key while the item is open and is removed
 * when it is resolved or dismissed; closed items
 * stay as history, so a film can be reopened later. Opening again while open adds the
 * nomination ids and refreshes the reason and candidates, and changes nothing when they
 * are the same. When two movies of one film are merged (movie-merger.ts), the merged
 * movie's open item is closed as `merged` with the key it went into (and carried over to
 * the survivor while that is still a stub): it is history, no longer counted as open. An
 * item opened under a key that has been merged away goes to the survivor.
 */

export type ReviewStatus = 'open' | 'resolved' | 'dismissed' | 'merged';

/** A curator's answer. */
export interface ReviewDecision {
  imdbId?: string;
  tmdbId?: number;
  by: string;
}

/** One review item as stored. */
export interface ReviewItem {
  movieKey: string;
  openKey?: string;
  reason: ReviewReason;
  candidates: CandidateSummary[];
  nominationIds: string[];
  status: ReviewStatus;
  createdAt: Date;
  updatedAt: Date;
  escalatedAt?: Date;
  resolution?: ReviewDecision & { at: Date };
  dismissedAt?: Date;
  /** Set when the movie was merged into another: the survivor's key. */
  mergedInto?: string;
}

export interface OpenReview {
  movieKey: string;
  reason: ReviewReason;
  candidates?: CandidateSummary[];
  nominationIds?: string[];
  now?: Date;
}

const day = 24 * 3600 * 1000;

export class ReviewQueueRepository {
  private readonly items: Collection<ReviewItem>;
  private readonly movies: Collection<{
    key: string;
    importType: string;
    createdAt: Date;
    dataSourceHierarchy: SourceName[];
    aliasKeys?: string[];
  }>;

  constructor(db: Db) {
    this.items = db.collection<ReviewItem>(collectionNames.reviewQueue);
    this.movies = db.collection(collectionNames.movies);
  }

  /** Opens (or adds to) the movie's open item; created is false when one was already open. */
  async open(request: OpenReview): Promise<{ created: boolean; item: ReviewItem }> {
    const now = request.now ?? new Date();
    const input = {
      ...request,
      movieKey: (await this.survivorOf(request.movieKey))?.key ?? request.movieKey,
    };
    const opened = await this.openUnder(input, now);
    // A merge that closed this key's items while this one was being written: it follows the merge.
    const survivor = await this.survivorOf(input.movieKey);
    if (survivor !== null)
      await this.closeMerged(input.movieKey, survivor.key, {
        carryOver: survivor.importType === 'stub',
        now,
      });
    return opened;
  }

  private async openUnder(input: OpenReview, now: Date): Promise<{ created: boolean; item: ReviewItem }> {
    const nominationIds = [...new Set(input.nominationIds ?? [])];
    for (let race = 0; race < 3; race += 1) {
      const current = await this.items.findOne({ openKey: input.movieKey }, { projection: { _id: 0 } });
      if (current === null) {
        const item: ReviewItem = {
          movieKey: input.movieKey,
          openKey: input.movieKey,
          reason: input.reason,
          candidates: input.candidates ?? [],
          nominationIds,
          status: 'open',
          createdAt: now,
          updatedAt: now,
        };
        try {
          await this.items.insertOne({ ...item });
          return { created: true, item };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          continue;
        }
      }
      const added = nominationIds.filter((id) => !current.nominationIds.includes(id));
      const candidates = input.candidates ?? current.candidates;
      // A stale-stub escalation does not hide why the film first came here.
      const reason = input.reason === 'stale_stub' ? current.reason : input.reason;
      if (
        added.length === 0 &&
        reason === current.reason &&
        JSON.stringify(candidates) === JSON.stringify(current.candidates)
      )
        return { created: false, item: current };
      await this.items.updateOne(
        { openKey: input.movieKey },
        { $addToSet: { nominationIds: { $each: added } }, $set: { reason, candidates, updatedAt: now } },
      );
      return {
        created: false,
        item: {
          ...current,
          reason,
          candidates,
          nominationIds: [...current.nominationIds, ...added],
          updatedAt: now,
        },
      };
    }
    throw new FestivalResolverError(
      'MONGO_UNAVAILABLE',
      `review item for ${input.movieKey} kept changing while being opened`,
      { retryable: true },
    );
  }

  /** Items by status and reason, escalated first, then oldest first. */
  async list(
    filter: { status?: ReviewStatus; reason?: ReviewReason; escalated?: boolean; limit?: number } = {},
  ): Promise<ReviewItem[]> {
    const query: Filter<ReviewItem> = { status: filter.status ?? 'open' };
    if (filter.reason !== undefined) query.reason = filter.reason;
    if (filter.escalated !== undefined) query.escalatedAt = { $exists: filter.escalated };
    const items = await this.items
      .find(query, { projection: { _id: 0 }, ...singleBatch(filter.limit ?? 50) })
      .sort({ createdAt: 1 })
      .toArray();
    // Stable: escalated items move to the front, each group stays oldest first.
    return [
      ...items.filter((i) => i.escalatedAt !== undefined),
      ...items.filter((i) => i.escalatedAt === undefined),
    ];
  }

  /** The open item of a movie, else its latest closed one. */
  async get(movieKey: string): Promise<ReviewItem | null> {
    const open = await this.items.findOne({ openKey: movieKey }, { projection: { _id: 0 } });
    if (open !== null) return open;
    const [latest] = await this.items
      .find({ movieKey }, { projection: { _id: 0 }, ...singleBatch(1) })
      .sort({ createdAt: -1 })
      .toArray();
    return latest ?? null;
  }

  /** Closes the open item with the curator's answer; null when nothing was open. */
  async resolve(movieKey: string, decision: ReviewDecision, now = new Date()): Promise<ReviewItem | null> {
    return this.close(movieKey, { status: 'resolved', resolution: { ...decision, at: now }, updatedAt: now });
  }

  /** Closes the open item without an answer (not a film, duplicate nomination …). */
  async dismiss(movieKey: string, now = new Date()): Promise<ReviewItem | null> {
    return this.close(movieKey, { status: 'dismissed', dismissedAt: now, updatedAt: now });
  }

  /**
   * Escalates stubs still unresolved `days` after they were created: their open item gets
   * `escalatedAt` (an item is opened with reason stale_stub if none is open). Returns how
   * many items were newly escalated; running it again escalates nothing new.
   */
  async escalateStaleStubs(now = new Date(), days = 30): Promise<number> {
    const cutoff = new Date(now.getTime() - days * day);
    const stale = await this.movies
      .find({ importType: 'stub', createdAt: { $lte: cutoff } }, { projection: { key: 1 } })
      .toArray();
    let escalated = 0;
    for (const { key } of stale) {
      const open = await this.items.findOne({ openKey: key });
      if (open?.escalatedAt !== undefined) continue;
      if (open === null) await this.open({ movieKey: key, reason: 'stale_stub', now });
      const result = await this.items.updateOne(
        { openKey: key, escalatedAt: { $exists: false } },
        { $set: { escalatedAt: now, updatedAt: now } },
      );
      escalated += result.modifiedCount;
    }
    return escalated;
  }

  /**
   * The movie `fromKey` was merged into `intoKey`: its open item is closed as `merged`
   * (carried over to the survivor first when `carryOver`: the film still needs a curator).
   * Repeating it changes nothing.
   */
  async closeMerged(
    fromKey: string,
    intoKey: string,
    options: { carryOver: boolean; now?: Date },
  ): Promise<ReviewItem | null> {
    const now = options.now ?? new Date();
    const open = await this.items.findOne({ openKey: fromKey }, { projection: { _id: 0 } });
    if (open === null) return null;
    if (options.carryOver)
      await this.open({
        movieKey: intoKey,
        reason: open.reason,
        candidates: open.candidates,
        nominationIds: open.nominationIds,
        now,
      });
    return this.close(fromKey, { status: 'merged', mergedInto: intoKey, updatedAt: now });
  }

  async countOpen(): Promise<number> {
    return this.items.countDocuments({ status: 'open' });
  }

  /** The movie that took this key over (merged or re-keyed into it), if one did. */
  private async survivorOf(movieKey: string): Promise<{ key: string; importType: string } | null> {
    return this.movies.findOne({ aliasKeys: movieKey }, { projection: { _id: 0, key: 1, importType: 1 } });
  }

  private async close(movieKey: string, fields: Partial<ReviewItem>): Promise<ReviewItem | null> {
    const open = await this.items.findOne({ openKey: movieKey }, { projection: { _id: 0 } });
    if (open === null) return null;
    await this.items.updateOne({ openKey: movieKey }, { $set: fields, $unset: { openKey: '' } });
    const { openKey: _closed, ...rest } = open;
    return { ...rest, ...fields };
  }
}
