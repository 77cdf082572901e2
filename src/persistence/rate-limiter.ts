import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection, Db } from 'mongodb';
import type { SourceName } from '../domain/movie.js';
import { appendToLog, type LogEntry } from './append-log.js';
import { collectionNames } from './collections.js';

/**
 * Per-source request rates shared by every instance: a fixed one-second window per source
 * in `rate_limits`, each admitted request an entry of the window's append-only log.
 *
 * Why not rate-limiter-flexible's RateLimiterMongo: on FerretDB 1.24 it admitted 46 of 90
 * racing requests against 10 points, because it counts with findOneAndUpdate + $inc + upsert,
 * which FerretDB does not apply atomically, and its index (with expireAfterSeconds) cannot be
 * created there. A unique-index insert is atomic on both servers (see append-log.ts).
 * A fixed window can let up to twice the rate through across a window boundary; upstream
 * ceilings (TMDb ~40 req/s) leave room for that.
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

interface WindowEntry extends LogEntry {
  at: Date;
}

const windowMs = 1000;

export class SharedRateLimiter {
  private readonly entries: Collection<WindowEntry>;
  private readonly maxWaitMs: number;
  private readonly clock: () => number;
  private lastPurge = 0;

  constructor(
    db: Db,
    private readonly options: SharedRateLimiterOptions,
  ) {
    this.entries = db.collection<WindowEntry>(collectionNames.rateLimits);
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Waits for a slot of `source` in the shared window; resolves acquired: false after maxWaitMs. */
  async acquire(source: SourceName, signal?: AbortSignal): Promise<RateLimitPermit> {
    const limit = this.options.perSecond[source];
    const started = this.clock();
    if (limit === undefined) return { acquired: true, waitedMs: 0 };
    await this.purgeExpired();
    for (;;) {
      const now = this.clock();
      const windowStart = now - (now % windowMs);
      const result = await appendToLog<WindowEntry>(
        this.entries,
        `${source}:${windowStart}`,
        (head) => ((head?.seq ?? 0) >= limit ? null : { at: new Date(now), expiresAt: new Date(windowStart + 60 * windowMs) }),
        { keep: limit, pruneAfterMs: 60 * windowMs },
      );
      if (result.appended) return { acquired: true, waitedMs: this.clock() - started };
      // Full: sleep to the next window, with jitter so that waiting instances do not all
      // hit the server at the same millisecond.
      const untilNext = windowStart + windowMs - this.clock() + Math.random() * 20;
      if (this.clock() + untilNext - started > this.maxWaitMs) return { acquired: false, waitedMs: this.clock() - started };
      await sleep(Math.max(0, untilNext), undefined, signal === undefined ? undefined : { signal });
    }
  }

  /** Without TTL indexes (FerretDB) old windows are deleted here, at most every ten seconds per instance. */
  private async purgeExpired(): Promise<void> {
    const now = this.clock();
    if (now - this.lastPurge < 10_000) return;
    this.lastPurge = now;
    await this.entries.deleteMany({ expiresAt: { $lt: new Date(now) } });
  }
}
