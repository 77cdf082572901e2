import type { Admin } from 'kafkajs';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';

/** Lag of one partition: messages between the group's committed offset and the high watermark. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/**
 * Computes the group's lag per topic and partition. A partition the group never committed
 * counts from the low watermark (everything still there is unread).
 */
export async function computeLag(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const lags: PartitionLag[] = [];
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const groupOffsets = new Map(
      (committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [
        p.partition,
        Number(p.offset),
      ]),
    );
    for (const { partition, high, low } of ends) {
      const at = groupOffsets.get(partition);
      const from = at === undefined || at < 0 ? Number(low) : at;
      lags.push({ topic, partition, lag: Math.max(0, Number(high) - from) });
    }
  }
  return lags;
}

/**
 * Refreshes the consumer-lag gauge on a timer and on demand (throttled, one at a time). The
 * gauge follows the committed offsets, which move while a batch runs (every commit interval,
 * 1 s by default), so the timer runs as often by default and the first reading is taken at
 * once: a gauge read only every ten seconds, or after batches, stays at the full count
 * through a long batch. One reading is an offset fetch and one offset list per topic.
 */
export interface LagReporter {
  /** Refreshes now unless a refresh ran within the throttle window or is running. */
  refresh(): Promise<void>;
  stop(): void;
}

export interface LagReporterOptions {
  admin: Admin;
  groupId: string;
  topics: readonly string[];
  gauge: ResolverMetrics['consumerLag'];
  logger: Logger;
  intervalMs?: number;
  minGapMs?: number;
}

export function startLagReporter(options: LagReporterOptions): LagReporter {
  const { admin, groupId, topics, gauge, logger } = options;
  const minGapMs = options.minGapMs ?? 500;
  let running: Promise<void> | null = null;
  let lastRun = 0;
  let stopped = false;

  const run = async () => {
    try {
      for (const { topic, partition, lag } of await computeLag(admin, groupId, topics))
        gauge.set({ topic, partition: String(partition) }, lag);
    } catch (error) {
      // Lag is an observation: failing to read it must never stop consumption.
      logger.warn({ err: error, groupId }, 'could not compute consumer lag');
    }
  };

  const refresh = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) return running;
    if (Date.now() - lastRun < minGapMs) return Promise.resolve();
    lastRun = Date.now();
    running = run().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => void refresh(), options.intervalMs ?? 1000);
  timer.unref();
  void refresh();
  return {
    refresh,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
