import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection, Db } from 'mongodb';
import type { SourceName } from '../domain/movie.js';
import { collectionNames } from './collections.js';
import { isDuplicateKeyError } from './mongo-errors.js';

/**
 * Per-source request rates shared by every instance: a fixed one-second window per
 * source, one counter document per window (`_id` `<source>:<window start>`), and one
 * guarded `$inc` per request — the filter admits the counter only while it is below the
 * limit, so the server hands out each slot exactly once however many instances race.
 * The first request of a window creates the counter; when two race to create it, the
 * loser's insert fails on the `_id` and it retries the guarded update.
 *
 * The value after the increment is the request's slot in the window, shared by every
 * instance: slot k is not used before k/limit of the window has passed, so the instances
 * together spread their requests evenly instead of bursting (upstreams count in windows
 * of their own; a burst late in ours plus the start of the next would fall in one of
 * theirs). A full window makes the caller wait for the next one. Counters expire by TTL.
 * (rate-limiter-flexible's RateLimiterMongo is equally atomic on this store — bench:store
 * races it — but its window starts at a key's first request and it cannot say which slot
 * a request got, which the spacing needs.)
 */

/** A shared limiter handed to the source adapters; one per process. */
export interface RateLimitPermit {
  acquired: boolean;
  waitedMs: number;
}

export interface SharedRateLimiterOptions {
  /** Requests per second per source; a source without a limit is never throttled. */
  perSecond: Partial<Record<SourceName, number>>;
  /** Give up (acquired: false) rather than wait longer than this. */
  maxWaitMs?: number;
  /** Milliseconds since the epoch; tests pin it to keep every request in one window. */
  clock?: () => number;
}

interface WindowCounter {
  _id: string;
  source: SourceName;
  count: number;
  expiresAt: Date;
}

const windowMs = 1000;
/** Counters outlive their window only briefly (TTL index on expiresAt). */
const retentionMs = 60 * windowMs;

export class SharedRateLimiter {
  private readonly counters: Collection<WindowCounter>;
  private readonly maxWaitMs: number;
  private readonly clock: () => number;
  /** The window this instance saw full, per source: no need to ask again before it ends. */
  private readonly full = new Map<SourceName, number>();
  /** When this instance's recent requests of each source are due, ascending. */
  private readonly scheduled = new Map<SourceName, number[]>();

  constructor(
    db: Db,
    private readonly options: SharedRateLimiterOptions,
  ) {
    this.counters = db.collection<WindowCounter>(collectionNames.rateLimits);
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Waits for a slot of `source` in the shared window; resolves acquired: false after maxWaitMs. */
  async acquire(source: SourceName, signal?: AbortSignal): Promise<RateLimitPermit> {
    const limit = this.options.perSecond[source];
    const started = this.clock();
    if (limit === undefined) return { acquired: true, waitedMs: 0 };
    const wait = (ms: number): Promise<void> =>
      sleep(Math.max(0, ms), undefined, signal === undefined ? undefined : { signal });
    for (;;) {
      const now = this.clock();
      const windowStart = now - (now % windowMs);
      const slot =
        this.full.get(source) === windowStart ? undefined : await this.take(source, windowStart, limit);
      if (slot !== undefined) {
        // No sooner than its share of the window, nor within 1/limit of another request of
        // this instance (slots taken late in a window are all "due" already; takes may also
        // complete out of slot order). A slot pushed past the window's end is given up: it
        // would crowd the next window.
        const dueAt = this.schedule(
          source,
          windowStart + Math.floor((slot * windowMs) / limit),
          windowMs / limit,
        );
        if (dueAt < windowStart + windowMs) {
          if (dueAt > this.clock()) await wait(dueAt - this.clock());
          return { acquired: true, waitedMs: this.clock() - started };
        }
        this.unschedule(source, dueAt);
      }
      this.full.set(source, windowStart);
      // Full: sleep to the next window, with jitter so that waiting instances do not all
      // hit the server at the same millisecond.
      const untilNext = windowStart + windowMs - this.clock() + Math.random() * 20;
      if (this.clock() + untilNext - started > this.maxWaitMs)
        return { acquired: false, waitedMs: this.clock() - started };
      await wait(untilNext);
    }
  }

  /**
   * When a slot due at `slotAt` runs, booked: at `slotAt`, or now when that has passed,
   * and then past any request of this instance closer than `spacing` (a little less, for
   * the grid: slots are `spacing` apart, but the first may have been moved to now).
   */
  private schedule(source: SourceName, slotAt: number, spacing: number): number {
    const now = this.clock();
    const booked = (this.scheduled.get(source) ?? []).filter((t) => t > now - 2 * windowMs);
    let at = Math.max(slotAt, now);
    for (const t of booked) if (Math.abs(at - t) < spacing * 0.95) at = t + spacing;
    booked.push(at);
    booked.sort((x, y) => x - y);
    this.scheduled.set(source, booked);
    return at;
  }

  private unschedule(source: SourceName, at: number): void {
    const booked = this.scheduled.get(source) ?? [];
    const index = booked.indexOf(at);
    if (index >= 0) booked.splice(index, 1);
  }

  /**
   * The slot (0-based) this request got in the window, or undefined when the window is
   * full. The guarded `$inc` first; when it matches nothing the counter is full or not
   * there yet, and an insert of the window's first slot tells which (a racing insert
   * fails on the `_id`, and the guarded `$inc` then decides). No upsert in
   * findOneAndUpdate: the local stack's server answers a racing one with InternalError
   * instead of E11000 (stack/README.md).
   */
  private async take(source: SourceName, windowStart: number, limit: number): Promise<number | undefined> {
    const id = `${source}:${windowStart}`;
    const increment = (): Promise<WindowCounter | null> =>
      this.counters.findOneAndUpdate(
        { _id: id, count: { $lt: limit } },
        { $inc: { count: 1 } },
        { returnDocument: 'after' },
      );
    const counter = await increment();
    if (counter !== null) return counter.count - 1;
    try {
      await this.counters.insertOne({
        _id: id,
        source,
        count: 1,
        expiresAt: new Date(windowStart + retentionMs),
      });
      return 0;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const raced = await increment();
    return raced === null ? undefined : raced.count - 1;
  }
}
