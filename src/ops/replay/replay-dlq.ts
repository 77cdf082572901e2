import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeHeaders, headerNames } from '../../consumer/headers.js';
import { FestivalResolverError } from '../../errors.js';
import { createIdempotentProducer } from '../../kafka/producer.js';
import { matchesFilters, type DlqFilter } from './dlq-filter.js';

/**
 * Re-drives dead-lettered messages to the input topic once their cause is fixed. The DLQ is
 * read from its start up to the end it had when the replay began (messages dead-lettered
 * meanwhile wait for the next replay), with a consumer group of its own that is deleted
 * afterwards, so a replay never moves anyone else's offsets and always ends.
 *
 * The original key and bytes are sent unchanged. Retry and dead-letter headers are dropped
 * so the replayed message starts with a fresh retry budget; `x-replayed-from-dlq` says
 * where it came from and `x-original-offset` keeps its first offset (without
 * `x-original-topic` the runner treats it as a new input message).
 */

const replayHeaderNames = {
  replayedFromDlq: 'x-replayed-from-dlq',
  originalOffset: headerNames.originalOffset,
} as const;

/** A dead-lettered message as read. */
export interface DlqMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  reason: string;
  code: string;
}

export interface ReplayInput {
  kafka: Kafka;
  dlqTopic: string;
  inputTopic: string;
  filters: readonly DlqFilter[];
  /** Replay at most this many matching messages (default: all). */
  limit?: number;
  dryRun?: boolean;
  /** Gives up when no message arrives for this long while some are still expected (default 30 s). */
  stallTimeoutMs?: number;
  onScan?: (scanned: number, total: number) => void;
  onReplay?: (replayed: number, total: number) => void;
}

export interface ReplaySummary {
  scanned: number;
  matched: number;
  replayed: number;
  skipped: number;
  /** The matching messages (what a dry run would replay). */
  messages: DlqMessage[];
}

const droppedPrefixes = ['x-retry-', 'x-dlq-', 'x-original-'];

/** The headers a replayed copy carries. */
export function replayHeaders(message: DlqMessage, dlqTopic: string): Record<string, string> {
  const kept = Object.fromEntries(
    Object.entries(message.headers).filter(([name]) => !droppedPrefixes.some((p) => name.startsWith(p))),
  );
  return {
    ...kept,
    [replayHeaderNames.replayedFromDlq]: `${dlqTopic}/${message.partition}/${message.offset}`,
    [replayHeaderNames.originalOffset]: message.headers[headerNames.originalOffset] ?? message.offset,
  };
}

/** Reads every message of the topic below the end offsets it has now. */
export async function readDlq(
  kafka: Kafka,
  topic: string,
  options: { stallTimeoutMs?: number; onScan?: (scanned: number, total: number) => void } = {},
): Promise<DlqMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `festival-resolver-replay-${randomUUID()}`;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const ends = new Map(
      offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]),
    );
    const total = offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
    if (ends.size === 0) return [];
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 200,
    });
    const messages: DlqMessage[] = [];
    let timer: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const stall = options.stallTimeoutMs ?? 30_000;
        const arm = () => {
          clearTimeout(timer);
          timer = setTimeout(
            () =>
              reject(
                new FestivalResolverError(
                  'KAFKA_UNAVAILABLE',
                  `replay-dlq: no message from ${topic} for ${stall} ms with ${ends.size} partition(s) not read to their end (read ${messages.length} of ${total})`,
                ),
              ),
            stall,
          );
        };
        arm();
        consumer
          .run({
            eachMessage: ({ partition, message }) => {
              arm();
              const end = ends.get(partition);
              if (end === undefined || BigInt(message.offset) >= end) return Promise.resolve();
              const headers = decodeHeaders(message.headers);
              messages.push({
                partition,
                offset: message.offset,
                key: message.key,
                value: message.value,
                headers,
                reason: headers[headerNames.dlqReason] ?? '',
                code: headers[headerNames.dlqErrorCode] ?? '',
              });
              options.onScan?.(messages.length, total);
              if (BigInt(message.offset) + 1n >= end) ends.delete(partition);
              if (ends.size === 0) resolve();
              return Promise.resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      clearTimeout(timer);
      await consumer.disconnect().catch(() => undefined);
    }
    return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

export async function replayDlq(input: ReplayInput): Promise<ReplaySummary> {
  const all = await readDlq(input.kafka, input.dlqTopic, {
    ...(input.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: input.stallTimeoutMs }),
    ...(input.onScan ? { onScan: input.onScan } : {}),
  });
  const matching = all.filter((m) => matchesFilters(m.headers, input.filters));
  const chosen = matching.slice(0, input.limit ?? matching.length);
  const summary = {
    scanned: all.length,
    matched: matching.length,
    skipped: all.length - chosen.length,
    messages: chosen,
  };
  if (input.dryRun === true || chosen.length === 0) return { ...summary, replayed: 0 };
  const producer = createIdempotentProducer(input.kafka);
  await producer.connect();
  let replayed = 0;
  try {
    for (let i = 0; i < chosen.length; i += 100) {
      const batch = chosen.slice(i, i + 100);
      await producer.send({
        topic: input.inputTopic,
        acks: -1,
        messages: batch.map((m) => ({
          key: m.key,
          value: m.value,
          headers: replayHeaders(m, input.dlqTopic),
        })),
      });
      replayed += batch.length;
      input.onReplay?.(replayed, chosen.length);
    }
  } finally {
    await producer.disconnect();
  }
  return { ...summary, replayed };
}
