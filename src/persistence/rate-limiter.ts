import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection, Db } from 'mongodb';
import type { SourceName } from '../domain/movie.js';
import { collectionNames } from './collections.js';
import { isDuplicateKeyError } from './mongo-errors.js';

/**
 * Per-source request rates shared by every instance: a fixed one-second window per source,
 * cut into blocks of `leaseSize` slots. An instance leases a whole block with one insert
 * whose unique `_id` is `<source>:<window start>#b<block>` and hands its slots to its own
 * requests; when the block is used up it leases the next free one, and when every block of
 * the window is taken it waits for the next window. Blocks never overlap, so all instances
 * together never exceed the limit; an instance wastes at most one partly used block per
 * window.
 *
 * Why blocks and plain inserts: on FerretDB 1.24 only `_id` equality avoids a scan of the
 * whole collection, and only a unique insert is atomic (updates are not, see
 * append-log.ts). The earlier design wrote one log entry per request after reading the
 * log head (a sorted scan), two round trips per upstream request that cost more than the
 * request itself; a lease is one insert per block and no read.
 * Why not rate-limiter-flexible's RateLimiterMongo: on FerretDB 1.24 it admitted 46 of 90
 * racing requests against 10 points ($inc + upsert is not atomic there).
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
  /** Slots leased per insert; default an eighth of the limit (at least 1). */
  leaseSize?: Partial<Record<SourceName, number>>;
  /** Milliseconds since the epoch; tests pin it to keep every request in one window. */
  clock?: () => number;
}

interface BlockLease {
  _id: string;
  scope: string;
  block: number;
  slots: number;
  at: Date;
  expiresAt: Date;
}

/** This instance's view of one source's current window. */
interface WindowState {
  windowStart: number;
  /** Leased slots not handed out yet. */
  local: number;
  /** Window-wide index of the next leased slot handed out (its block's first slot, then on). */
  nextSlot: number;
  nextBlock: number;
  /** Every block of the window is leased (by anyone). */
  exhausted: boolean;
  leasing?: Promise<void>;
}

const windowMs = 1000;
/** Leases outlive their window only long enough to be purged cheaply. */
const retentionMs = 10 * windowMs;

export class SharedRateLimiter {
  private readonly leases: Collection<BlockLease>;
  private readonly maxWaitMs: number;
  private readonly clock: () => number;
  private readonly windows = new Map<SourceName, WindowState>();
  /** When this instance's latest slot of each source is due. */
  private readonly lastScheduled = new Map<SourceName, number>();
  private lastPurge = 0;

  constructor(
    db: Db,
    private readonly options: SharedRateLimiterOptions,
  ) {
    this.leases = db.collection<BlockLease>(collectionNames.rateLimits);
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Waits for a slot of `source` in the shared window; resolves acquired: false after maxWaitMs. */
  async acquire(source: SourceName, signal?: AbortSignal): Promise<RateLimitPermit> {
    const limit = this.options.perSecond[source];
    const started = this.clock();
    if (limit === undefined) return { acquired: true, waitedMs: 0 };
    const size = Math.max(1, Math.min(limit, this.options.leaseSize?.[source] ?? Math.ceil(limit / 8)));
    const blocks = Math.ceil(limit / size);
    await this.purgeExpired();
    for (;;) {
      const now = this.clock();
      const windowStart = now - (now % windowMs);
      let state = this.windows.get(source);
      if (state === undefined || state.windowStart !== windowStart) {
        state = { windowStart, local: 0, nextSlot: 0, nextBlock: 0, exhausted: false };
        this.windows.set(source, state);
      }
      if (state.local > 0) {
        // Slot k of the window is not used before k/limit of the window has passed, and no
        // slot sooner than 1/limit after this instance's previous one, so requests are
        // spread evenly instead of bursting: upstreams count in windows of their own, and a
        // burst of slots left over late in our window plus the start of the next one would
        // fall in one of theirs (429s). A slot pushed past its window's end is given up.
        const spacing = windowMs / limit;
        const dueAt = Math.max(windowStart + Math.floor((state.nextSlot * windowMs) / limit), (this.lastScheduled.get(source) ?? 0) + spacing, this.clock());
        if (dueAt >= windowStart + windowMs) {
          state.local = 0;
          state.exhausted = true;
          continue;
        }
        state.local -= 1;
        state.nextSlot += 1;
        this.lastScheduled.set(source, dueAt);
        if (dueAt > this.clock()) await sleep(dueAt - this.clock(), undefined, signal === undefined ? undefined : { signal });
        return { acquired: true, waitedMs: this.clock() - started };
      }
      if (!state.exhausted) {
        // One lease at a time per source: concurrent callers wait for it and share its slots.
        state.leasing ??= this.lease(source, state, limit, size, blocks).finally(() => {
          if (state !== undefined) delete state.leasing;
        });
        await state.leasing;
        continue;
      }
      // Full: sleep to the next window, with jitter so that waiting instances do not all
      // hit the server at the same millisecond.
      const untilNext = windowStart + windowMs - this.clock() + Math.random() * 20;
      if (this.clock() + untilNext - started > this.maxWaitMs) return { acquired: false, waitedMs: this.clock() - started };
      await sleep(Math.max(0, untilNext), undefined, signal === undefined ? undefined : { signal });
    }
  }

  /** Leases the first free block of the window into `state`, or marks the window exhausted. */
  private async lease(source: SourceName, state: WindowState, limit: number, size: number, blocks: number): Promise<void> {
    const scope = `${source}:${state.windowStart}`;
    while (state.nextBlock < blocks) {
      const block = state.nextBlock;
      state.nextBlock += 1;
      const slots = Math.min(size, limit - block * size);
      try {
        await this.leases.insertOne({ _id: `${scope}#b${block}`, scope, block, slots, at: new Date(this.clock()), expiresAt: new Date(state.windowStart + retentionMs) });
      } catch (error) {
        if (isDuplicateKeyError(error)) continue;
        throw error;
      }
      state.local = slots;
      state.nextSlot = block * size;
      return;
    }
    state.exhausted = true;
  }

  /** Without TTL indexes (FerretDB) old leases are deleted here, at most every ten seconds per instance. */
  private async purgeExpired(): Promise<void> {
    const now = this.clock();
    if (now - this.lastPurge < 10_000) return;
    this.lastPurge = now;
    await this.leases.deleteMany({ expiresAt: { $lt: new Date(now) } });
  }
}
