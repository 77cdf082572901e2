import type { Admin } from 'kafkajs';
import type { Db } from 'mongodb';
import { computeLag } from '../../consumer/consumer-lag.js';
import { collectionNames } from '../../persistence/collections.js';

/**
 * Waits until the resolver has drained its input: every published nomination is recorded
 * in MongoDB and the group's committed offsets are at the end of the input and retry
 * topics (a recorded nomination whose offset is not committed yet would be redelivered).
 */

export interface DrainInput {
  db: Db;
  admin: Admin;
  groupId: string;
  topics: readonly string[];
  total: number;
  onProgress?: (recorded: number) => void;
  timeoutMs: number;
  pollMs?: number;
}

/** How the drain ended. */
export interface DrainResult {
  recorded: number;
  lag: number;
  elapsedMs: number;
}

async function totalLag(admin: Admin, groupId: string, topics: readonly string[]): Promise<number> {
  return (await computeLag(admin, groupId, topics)).reduce((sum, p) => sum + p.lag, 0);
}

export async function waitUntilDrained(input: DrainInput): Promise<DrainResult> {
  const started = Date.now();
  const nominations = input.db.collection(collectionNames.nominations);
  let recorded = 0;
  let lag = Number.POSITIVE_INFINITY;
  for (;;) {
    recorded = await nominations.countDocuments({});
    input.onProgress?.(recorded);
    if (recorded >= input.total) {
      lag = await totalLag(input.admin, input.groupId, input.topics);
      if (lag === 0) return { recorded, lag, elapsedMs: Date.now() - started };
    }
    if (Date.now() - started > input.timeoutMs) {
      const lagNow = Number.isFinite(lag)
        ? lag
        : await totalLag(input.admin, input.groupId, input.topics).catch(() => -1);
      throw new Error(
        `the resolver did not drain within ${Math.round(input.timeoutMs / 1000)} s: ${recorded}/${input.total} nominations recorded, lag ${lagNow}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, input.pollMs ?? 500));
  }
}
