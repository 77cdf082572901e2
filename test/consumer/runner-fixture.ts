import { Writable } from 'node:stream';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { onTestFinished } from 'vitest';
import {
  startConsumerRunner,
  type ConsumerRunner,
  type ConsumerRunnerOptions,
  type RunnerTopics,
} from '../../src/consumer/consumer-runner.js';
import type { MessageHandler } from '../../src/consumer/disposition.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createMetrics, type ResolverMetrics } from '../../src/metrics/metrics.js';
import { adminForTest, kafkaForTest, testGroupId, testTopic } from '../helpers/kafka.js';

/** Log lines of a test, parsed, so that tests can assert what the runner said. */
export interface CapturedLogs {
  logger: Logger;
  lines: Record<string, unknown>[];
}

export function captureLogs(): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger('info', destination), lines };
}

/** A test's own Kafka world: random input, retry and DLQ topics (3 partitions each) and a group. */
export interface RunnerWorld {
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  topics: RunnerTopics;
  groupId: string;
  metrics: ResolverMetrics;
  logs: CapturedLogs;
  /** Produces JSON values (or raw bytes) with string keys to the input topic. */
  produce(
    messages: (
      { key: string; value: unknown; partition?: number } | { key: string; raw: Buffer; partition?: number }
    )[],
  ): Promise<void>;
  /** Starts a runner on this world (stopped when the test ends). */
  start(handler: MessageHandler, overrides?: Partial<ConsumerRunnerOptions>): Promise<ConsumerRunner>;
  /** The group's committed offset per partition of a topic (-1 when none). */
  committed(topic?: string): Promise<Map<number, number>>;
  /** Waits until the group committed every partition of the input topic up to its end. */
  allCommitted(timeoutMs?: number): Promise<void>;
  /** The end offset (high watermark) per partition of a topic. */
  ends(topic?: string): Promise<Map<number, number>>;
}

export async function runnerWorld(): Promise<RunnerWorld> {
  const kafka = kafkaForTest();
  const admin = await adminForTest(kafka);
  const topics = {
    input: await testTopic(admin, 'in'),
    retry: await testTopic(admin, 'retry'),
    dlq: await testTopic(admin, 'dlq'),
  };
  const groupId = testGroupId('runner');
  onTestFinished(async () => {
    await admin.deleteGroups([groupId]).catch(() => undefined);
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  onTestFinished(() => producer.disconnect());
  const metrics = createMetrics(new Registry(), { defaultMetrics: false });
  const logs = captureLogs();

  return {
    kafka,
    admin,
    producer,
    topics,
    groupId,
    metrics,
    logs,
    produce: async (messages) => {
      await producer.send({
        topic: topics.input,
        acks: -1,
        messages: messages.map((m) => ({
          key: m.key,
          partition: m.partition,
          value: 'raw' in m ? m.raw : Buffer.from(JSON.stringify(m.value)),
        })),
      });
    },
    start: async (handler, overrides = {}) => {
      const runner = await startConsumerRunner({
        kafka,
        groupId,
        topics,
        concurrency: 4,
        handler,
        logger: logs.logger,
        metrics,
        retry: { maxAttempts: 3, baseDelayMs: 200 },
        failureBackoff: { baseMs: 200, maxMs: 1000 },
        drainTimeoutMs: 10_000,
        consumerConfig: { sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
        ...overrides,
      });
      onTestFinished(() => runner.stop({ drainTimeoutMs: 2000 }));
      return runner;
    },
    committed: async (topic = topics.input) => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map((offsets?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    },
    allCommitted: async (timeoutMs = 20_000) => {
      const ends = new Map(
        (await admin.fetchTopicOffsets(topics.input)).map((p) => [p.partition, Number(p.high)]),
      );
      await eventually(
        'offsets committed to the end of every partition',
        async () => {
          const [offsets] = await admin.fetchOffsets({ groupId, topics: [topics.input] });
          const committed = new Map((offsets?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
          // An empty partition has nothing to commit.
          return [...ends].every(([p, end]) => end === 0 || committed.get(p) === end) ? true : undefined;
        },
        timeoutMs,
      );
    },
    ends: async (topic = topics.input) =>
      new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])),
  };
}

/** Polls until `check` returns a value other than undefined; fails naming `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function json(value: Buffer | null): Record<string, unknown> {
  return JSON.parse(value?.toString('utf8') ?? 'null') as Record<string, unknown>;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
