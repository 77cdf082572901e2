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
 * FerretDB 1.24 also scans the whole collection for every query (no index use), so old
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

/**
 * Appends the entry `decide(head)` returns, or nothing when it returns null (a refusal,
 * for example a budget that would be exceeded).
 */
export async function appendToLog<T extends LogEntry>(
  collection: Collection<T>,
  scope: string,
  decide: (head: T | null) => Body<T> | null,
  options: AppendOptions = {},
): Promise<AppendResult<T>> {
  const maxAttempts = options.maxAttempts ?? 200;
  const keep = options.keep ?? 20;
  const pruneAfterMs = options.pruneAfterMs ?? 60_000;
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const readAt = Date.now();
    const head = await readHead(collection, scope);
    const body = decide(head);
    if (body === null) return { appended: false, head };
    const seq = (head?.seq ?? 0) + 1;
    const entry = { ...body, _id: `${scope}#${seq}`, scope, seq, writtenAt: new Date() } as T;
    try {
      await collection.insertOne(entry as never);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Lost the race for this sequence number: back off a little (more as contention
      // grows) so that racing writers spread out, then read the new head.
      await sleep(Math.random() * Math.min(50, 2 + attempt * 2));
      continue;
    }
    if (Date.now() - readAt > pruneAfterMs / 4 && (await collection.findOne({ scope, seq: { $gt: seq } } as never)) !== null) {
      await collection.deleteOne({ _id: entry._id } as never);
      continue;
    }
    if (seq % keep === 0) await prune(collection, scope, seq - keep, pruneAfterMs);
    return { appended: true, entry };
  }
  throw new FestivalResolverError('MONGO_UNAVAILABLE', `append to ${scope} lost ${maxAttempts} races in a row`, { retryable: true });
}

async function prune<T extends LogEntry>(collection: Collection<T>, scope: string, belowSeq: number, pruneAfterMs: number): Promise<void> {
  const now = Date.now();
  await collection.deleteMany({
    // The scope being written is only ever trimmed behind its head, never by expiry, so
    // that a clock running ahead elsewhere cannot delete the head a writer depends on.
    $or: [{ scope: { $ne: scope }, expiresAt: { $lt: new Date(now) } }, { scope, seq: { $lt: belowSeq }, writtenAt: { $lt: new Date(now - pruneAfterMs) } }],
  } as never);
}
