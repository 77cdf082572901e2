import type { KafkaMessage } from 'kafkajs';
import type { Logger } from '../logger.js';
import { OffsetWatermark } from './offset-watermark.js';
import type { MessageResult } from './process-message.js';
import type { Coordinates } from './retry-topic.js';

/** The slice of kafkajs's eachBatch payload the batch processor uses. */
export interface BatchControls {
  resolveOffset: (offset: string) => void;
  heartbeat: () => Promise<void>;
  isRunning: () => boolean;
  isStale: () => boolean;
  /** Commits the resolved offsets when kafkajs's autoCommitInterval has passed. */
  commitOffsetsIfNecessary: () => Promise<void>;
}

/** One fetched batch: one topic-partition, messages in offset order. */
export interface FetchedBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

export interface BatchProcessorDeps {
  /**
   * Handles one message. `mayStart` is asked again once the message holds a concurrency slot:
   * a message that waited for a slot while the runner began to stop must not start.
   */
  processOne: (
    message: KafkaMessage,
    at: Coordinates,
    signal: AbortSignal,
    mayStart: () => boolean,
  ) => Promise<MessageResult>;
  /** True once the runner stops or pauses: start no new message. */
  shouldStop: () => boolean;
  /** Aborted when the runner starts stopping. */
  stopping: AbortSignal;
  /** Once stopping: the time after which in-flight work is abandoned (not committed). */
  drainDeadline: () => number | undefined;
  /** Offsets of this partition already done but not yet committed (from an earlier fetch). */
  doneOffsets: Set<string>;
  heartbeatIntervalMs: number;
  /** How often resolved offsets are committed while the batch runs (kafkajs autoCommitInterval). */
  commitIntervalMs: number;
  logger: Logger;
}

/** What the runner needs to know after a batch. */
export interface BatchOutcome {
  failed: boolean;
  paused: { reason: string } | null;
  /** Earliest due time of a retry copy that was not due yet. */
  deferredUntil: number | null;
  /** The last offset resolved (committable), or null. */
  committed: string | null;
}

/** Messages grouped by key in offset order; a message without a key is a group of its own. */
export function groupByKey(messages: readonly KafkaMessage[]): { index: number; message: KafkaMessage }[][] {
  const groups = new Map<string, { index: number; message: KafkaMessage }[]>();
  const loose: { index: number; message: KafkaMessage }[][] = [];
  messages.forEach((message, index) => {
    if (message.key === null || message.key === undefined) {
      loose.push([{ index, message }]);
      return;
    }
    const key = message.key.toString('base64');
    const group = groups.get(key);
    if (group) group.push({ index, message });
    else groups.set(key, [{ index, message }]);
  });
  return [...groups.values(), ...loose];
}

/**
 * Resolves 'timeout' once the runner is stopping and its drain deadline has passed; `cancel`
 * removes the listener and the timer.
 */
function drainTimeout(
  stopping: AbortSignal,
  deadline: () => number | undefined,
): { promise: Promise<'timeout'>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let arm = () => undefined as void;
  const promise = new Promise<'timeout'>((resolve) => {
    arm = () => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, (deadline() ?? Date.now()) - Date.now()));
    };
    if (stopping.aborted) arm();
    else stopping.addEventListener('abort', arm, { once: true });
  });
  return {
    promise,
    cancel: () => {
      clearTimeout(timer);
      stopping.removeEventListener('abort', arm);
    },
  };
}

/**
 * Runs one batch: the same key strictly in order, different keys concurrently (the shared
 * semaphore inside processOne bounds how many), and resolves offsets only up to the
 * watermark below which every message is done. A key stops at its first message that is
 * not done (failed, paused, deferred) so that its later messages never overtake it.
 */
export async function processBatch(
  batch: FetchedBatch,
  controls: BatchControls,
  deps: BatchProcessorDeps,
): Promise<BatchOutcome> {
  const { topic, partition, messages } = batch;
  const watermark = new OffsetWatermark(messages.map((m) => m.offset));
  const abort = new AbortController();
  const outcome: BatchOutcome = { failed: false, paused: null, deferredUntil: null, committed: null };

  const stopNew = () =>
    abort.signal.aborted || deps.shouldStop() || !controls.isRunning() || controls.isStale();
  const ticker = setInterval(
    () => {
      // A seek or a lost partition makes the batch stale; stopping does not abort running handlers.
      if (controls.isStale()) abort.abort();
      // Offsets of finished messages are committed while the batch runs, not only at its end, so
      // that a crash redelivers little more than what was in flight.
      if (!abort.signal.aborted)
        controls.commitOffsetsIfNecessary().catch((error: unknown) => {
          deps.logger.debug(
            { topic, partition, detail: error instanceof Error ? error.message : String(error) },
            'offset commit during a batch failed; the next one carries it',
          );
        });
      controls.heartbeat().catch((error: unknown) => {
        // A rebalance is under way: finish what runs, start nothing, let kafkajs rejoin.
        deps.logger.debug(
          { topic, partition, detail: error instanceof Error ? error.message : String(error) },
          'heartbeat failed during a batch; stopping the batch',
        );
        abort.abort();
      });
    },
    Math.min(deps.heartbeatIntervalMs, deps.commitIntervalMs),
  );

  let closed = false;
  const markDone = (index: number, offset: string) => {
    // A handler abandoned at the drain deadline may finish later: too late to resolve.
    if (closed) return;
    deps.doneOffsets.add(offset);
    const moved = watermark.markDone(index);
    if (moved === null) return;
    controls.resolveOffset(moved);
    outcome.committed = moved;
    const limit = BigInt(moved);
    for (const o of deps.doneOffsets) if (BigInt(o) <= limit) deps.doneOffsets.delete(o);
  };

  const runKey = async (group: { index: number; message: KafkaMessage }[]) => {
    for (const { index, message } of group) {
      if (stopNew()) return;
      if (deps.doneOffsets.has(message.offset)) {
        markDone(index, message.offset);
        continue;
      }
      const result = await deps.processOne(
        message,
        { topic, partition, offset: message.offset },
        abort.signal,
        () => !stopNew(),
      );
      if (result.kind === 'not_started') return;
      if (result.kind === 'done') {
        markDone(index, message.offset);
        continue;
      }
      if (result.kind === 'failed') outcome.failed = true;
      else if (result.kind === 'paused') outcome.paused ??= { reason: result.reason };
      else outcome.deferredUntil = Math.min(outcome.deferredUntil ?? Infinity, result.dueAt);
      return;
    }
  };

  const all = Promise.all(groupByKey(messages).map(runKey));
  // While draining, work still running at the deadline is abandoned: not resolved, so it is
  // delivered again after the restart.
  const drain = drainTimeout(deps.stopping, deps.drainDeadline);
  try {
    const first = await Promise.race([all.then(() => 'finished' as const), drain.promise]);
    if (first === 'timeout') {
      deps.logger.warn(
        { topic, partition, committed: outcome.committed },
        'drain timeout reached with handlers still running; their messages will be delivered again',
      );
      abort.abort();
    }
  } finally {
    closed = true;
    drain.cancel();
    clearInterval(ticker);
  }
  return outcome;
}
