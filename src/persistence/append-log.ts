import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection } from 'mongodb';
import { FestivalResolverError } from '../errors.js';
import { isDuplicateKeyError } from './mongo-errors.js';

/**
 * An append-only log per scope whose entries carry a sequence number made unique by their
 * `_id` (`<scope>#<seq>`). Appending reads the head, decides, and inserts head.seq + 1;
 * when another writer got there first the insert fails with E11000 and we read again.
 *
 * Why not a counter document with a conditional $inc: FerretDB 1.24 (SQLite) does not
 * apply updates atomically — 60 concurrent `updateOne({v: {$lte: 9}}, {$inc: {v: 1}})`
 * from three clients all reported a modification and left v between 2 and 5 — whereas a
 * unique-index insert admits exactly one of many racing writers on both FerretDB and
 * MongoDB. This gives the spend ledger and the rate limiter a compare-and-set that holds
 * across any number of instances.
 *
 * FerretDB 1.24 also scans the whole collection for every query but `_id` equality, so old
 * entries are pruned: entries past `expiresAt`, and entries more than `keep` behind the
 * head once they are older than `pruneAfterMs`. A writer that stalled between reading the
 * head and inserting could otherwise re-create a pruned sequence number (a "ghost" built
 * on stale totals), so a writer that took longer than a quarter of `pruneAfterMs` checks
 * for newer entries after its insert and withdraws it if there are any.
 */

/** Fields every log entry has; the rest is the caller's. */
export interface LogEntry {
  _id: string;
  scope: string;
  seq: number;
  /** Wall-clock time of the insert (pruning uses it; callers may pass their own `at`). */
  writtenAt: Date;
  /** Past this instant the entry may be deleted (TTL where the server has it, else pruning). */
  expiresAt?: Date;
}

export type AppendResult<T extends LogEntry> = { appended: true; entry: T } | { appended: false; head: T | null };

export interface AppendOptions {
  /** Races lost in a row before giving up with a retryable error. */
  maxAttempts?: number;
  /** Entries kept behind the head when pruning. */
  keep?: number;
  /** Entries younger than this are never pruned. */
  pruneAfterMs?: number;
}

type Body<T extends LogEntry> = Omit<T, '_id' | 'scope' | 'seq' | 'writtenAt'>;

/** Latest entry of a scope, or null when the scope is empty. */
export async function readHead<T extends LogEntry>(collection: Collection<T>, scope: string): Promise<T | null> {
  const docs = await collection
    .find({ scope } as never)
    .sort({ seq: -1 })
    .limit(1)
    .toArray();
  return (docs[0] as T | undefined) ?? null;
}

/** The head this instance last saw for a scope, and when it was known to be the head. */
interface KnownHead<T> {
  entry: T;
  at: number;
}

/**
 * The append-only logs of one collection, as one process writes them. Two things keep an
 * append to a single insert in the common case:
 * - appends to one scope are queued inside the process, so this instance never races itself;
 * - the head this instance wrote or read last is remembered, and the next append inserts
 *   head.seq + 1 straight away. The unique `_id` makes that a compare-and-set: the insert
 *   succeeds only if nobody else appended since, in which case the remembered head was the
 *   real one and the decision was taken on true totals. When it fails, the entries after
 *   the remembered head are read by `_id` (no scan), and only a long chain falls back to
 *   the sorted head read, which FerretDB 1.24 answers by scanning the collection.
 * A remembered head older than a quarter of `pruneAfterMs` is read again: its successors
 * could have been pruned, and inserting on top of it would recreate one (a "ghost").
 */
export class AppendLog<T extends LogEntry> {
  private readonly heads = new Map<string, KnownHead<T>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly maxAttempts: number;
  private readonly keep: number;
  private readonly pruneAfterMs: number;

  constructor(
    private readonly collection: Collection<T>,
    options: AppendOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 200;
    this.keep = options.keep ?? 20;
    this.pruneAfterMs = options.pruneAfterMs ?? 60_000;
  }

  /**
   * Appends the entry `decide(head)` returns, or nothing when it returns null (a refusal,
   * for example a budget that would be exceeded).
   */
  append(scope: string, decide: (head: T | null) => Body<T> | null): Promise<AppendResult<T>> {
    const previous = this.queues.get(scope) ?? Promise.resolve();
    const next = previous.then(
      () => this.appendNow(scope, decide),
      () => this.appendNow(scope, decide),
    );
    this.queues.set(scope, next);
    const forget = () => {
      if (this.queues.get(scope) === next) this.queues.delete(scope);
    };
    next.then(forget, forget);
    return next;
  }

  /** The latest entry of a scope, read from the server (and remembered). */
  async readHead(scope: string): Promise<T | null> {
    const at = Date.now();
    const head = await readHead(this.collection, scope);
    this.remember(scope, head, at);
    return head;
  }

  private async appendNow(scope: string, decide: (head: T | null) => Body<T> | null): Promise<AppendResult<T>> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
      const known = this.heads.get(scope);
      const fresh = known !== undefined && Date.now() - known.at < this.pruneAfterMs / 4;
      const readAt = fresh ? known.at : Date.now();
      const head = fresh ? known.entry : await this.readHead(scope);
      const body = decide(head);
      if (body === null) {
        // Refuse only on a head read just now: another instance may have appended since
        // (a refund, say), and a refusal has no insert to catch that.
        if (!fresh) return { appended: false, head };
        this.heads.delete(scope);
        continue;
      }
      const seq = (head?.seq ?? 0) + 1;
      const entry = { ...body, _id: `${scope}#${seq}`, scope, seq, writtenAt: new Date() } as T;
      // Any later entry is written after this insert starts, so it cannot be pruned for pruneAfterMs from here.
      const insertedFrom = Date.now();
      try {
        await this.collection.insertOne(entry as never);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Another instance appended first: catch up on its entries, backing off a little
        // (more as contention grows) so that racing writers spread out.
        this.heads.delete(scope);
        if (head !== null) await this.followSuccessors(scope, head);
        await sleep(Math.random() * Math.min(50, 2 + attempt * 2));
        continue;
      }
      if (Date.now() - readAt > this.pruneAfterMs / 4 && (await this.collection.findOne({ scope, seq: { $gt: seq } } as never)) !== null) {
        await this.collection.deleteOne({ _id: entry._id } as never);
        this.heads.delete(scope);
        continue;
      }
      this.remember(scope, entry, insertedFrom);
      if (seq % this.keep === 0) await prune(this.collection, scope, seq - this.keep, this.pruneAfterMs);
      return { appended: true, entry };
    }
    throw new FestivalResolverError('MONGO_UNAVAILABLE', `append to ${scope} lost ${this.maxAttempts} races in a row`, { retryable: true });
  }

  /** Reads the entries after `from` by `_id` until the first missing one; remembers the last found if the chain ends within a few reads. */
  private async followSuccessors(scope: string, from: T): Promise<void> {
    const at = Date.now();
    let head = from;
    for (let step = 0; step < 8; step += 1) {
      const next = await this.collection.findOne({ _id: `${scope}#${head.seq + 1}` } as never);
      if (next === null) {
        this.remember(scope, head, at);
        return;
      }
      head = next as T;
    }
    // Far behind: the next attempt reads the head with the sorted query.
  }

  private remember(scope: string, head: T | null, at: number): void {
    if (head === null) this.heads.delete(scope);
    else this.heads.set(scope, { entry: head, at });
  }
}

async function prune<T extends LogEntry>(collection: Collection<T>, scope: string, belowSeq: number, pruneAfterMs: number): Promise<void> {
  const now = Date.now();
  await collection.deleteMany({
    // The scope being written is only ever trimmed behind its head, never by expiry, so
    // that a clock running ahead elsewhere cannot delete the head a writer depends on.
    $or: [{ scope: { $ne: scope }, expiresAt: { $lt: new Date(now) } }, { scope, seq: { $lt: belowSeq }, writtenAt: { $lt: new Date(now - pruneAfterMs) } }],
  } as never);
}
