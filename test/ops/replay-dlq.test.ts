import { describe, expect, it, onTestFinished } from 'vitest';
import type { Kafka } from 'kafkajs';
import { publishDeadLetter } from '../../src/consumer/dead-letter.js';
import { decodeHeaders } from '../../src/consumer/headers.js';
import { parseDlqFilter } from '../../src/ops/replay/dlq-filter.js';
import { readDlq, replayDlq } from '../../src/ops/replay/replay-dlq.js';
import { adminForTest, consumeN, kafkaForTest, testTopic } from '../helpers/kafka.js';
import { testServices } from '../helpers/services.js';
import { runCli } from './run-cli.js';

interface Poison {
  key: string;
  value: string;
  code: string;
  reason: string;
}

const poison: Poison[] = [
  {
    key: 'tt0000001',
    value: 'bad-title-1',
    code: 'INVALID_FIELD',
    reason: 'film.title starts with "$" (looks like a MongoDB operator)',
  },
  { key: 'tt0000002', value: 'not-avro', code: 'UNDECODABLE', reason: 'no magic byte' },
  { key: 'tt0000003', value: 'bad-title-3', code: 'INVALID_FIELD', reason: 'film.year is 0' },
  {
    key: 'tt0000004',
    value: 'slow-upstream',
    code: 'RETRIES_EXHAUSTED',
    reason: 'tmdb: timeout after 8000 ms',
  },
];

async function deadLettered(kafka: Kafka, dlq: string, input: string): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  onTestFinished(() => producer.disconnect());
  for (const [i, p] of poison.entries()) {
    await publishDeadLetter(producer, dlq, {
      key: Buffer.from(p.key),
      value: Buffer.from(p.value),
      headers: { traceparent: `trace-${i}` },
      reason: p.reason,
      code: p.code,
      state: {
        retries: 2,
        notBefore: 0,
        originalTopic: input,
        originalPartition: 0,
        originalOffset: String(100 + i),
      },
      now: Date.now(),
    });
  }
}

async function messageCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = await adminForTest(kafka);
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
}

describe('replay-dlq on real Kafka', () => {
  it('when a code filter is given, then only the matching messages are re-driven with their original key and bytes and fresh headers', async () => {
    const kafka = kafkaForTest();
    const admin = await adminForTest(kafka);
    const input = await testTopic(admin, 'replay-in', 2);
    const dlq = await testTopic(admin, 'replay-dlq', 2);
    await deadLettered(kafka, dlq, input);

    const dry = await replayDlq({
      kafka,
      dlqTopic: dlq,
      inputTopic: input,
      filters: [parseDlqFilter('code=invalid_field')],
      dryRun: true,
    });
    expect(dry).toMatchObject({ scanned: 4, matched: 2, replayed: 0, skipped: 2 });
    expect(await messageCount(kafka, input)).toBe(0);

    const summary = await replayDlq({
      kafka,
      dlqTopic: dlq,
      inputTopic: input,
      filters: [parseDlqFilter('code=INVALID_FIELD')],
    });
    expect(summary).toMatchObject({ scanned: 4, matched: 2, replayed: 2, skipped: 2 });
    const replayed = await consumeN(kafka, input, 2);
    expect(replayed.map((m) => `${m.key?.toString()}=${m.value?.toString()}`).sort()).toEqual([
      'tt0000001=bad-title-1',
      'tt0000003=bad-title-3',
    ]);
    for (const m of replayed) {
      const headers = decodeHeaders(m.headers);
      expect(headers['x-replayed-from-dlq']).toMatch(new RegExp(`^${dlq}/\\d+/\\d+$`));
      expect(['100', '102']).toContain(headers['x-original-offset']);
      expect(headers.traceparent).toMatch(/^trace-[02]$/);
      expect(
        Object.keys(headers).filter(
          (h) => h.startsWith('x-dlq-') || h.startsWith('x-retry-') || h === 'x-original-topic',
        ),
      ).toEqual([]);
    }
    expect(await messageCount(kafka, input)).toBe(2);
  });

  it('when reason and limit filters are combined, then at most the limit of matches is replayed, and an empty DLQ ends at once', async () => {
    const kafka = kafkaForTest();
    const admin = await adminForTest(kafka);
    const input = await testTopic(admin, 'replay-in', 1);
    const dlq = await testTopic(admin, 'replay-dlq', 1);
    expect(await readDlq(kafka, dlq)).toEqual([]);
    await deadLettered(kafka, dlq, input);
    const summary = await replayDlq({
      kafka,
      dlqTopic: dlq,
      inputTopic: input,
      filters: [parseDlqFilter('reason~FILM.')],
      limit: 1,
    });
    expect(summary).toMatchObject({ scanned: 4, matched: 2, replayed: 1, skipped: 3 });
    expect(summary.messages.map((m) => m.key?.toString())).toEqual(['tt0000001']);
    expect(await messageCount(kafka, input)).toBe(1);
    expect(() => parseDlqFilter('reason=timeout')).toThrow(/reason~<text> or code=<CODE>/);
  });

  it('when the replay-dlq CLI runs with --dry-run, then it lists the matches and sends nothing; without it, it re-drives them', async () => {
    const kafka = kafkaForTest();
    const admin = await adminForTest(kafka);
    const input = await testTopic(admin, 'replay-in', 1);
    const dlq = await testTopic(admin, 'replay-dlq', 1);
    await deadLettered(kafka, dlq, input);
    const env = {
      KAFKA_BROKERS: testServices().kafkaBrokers.join(','),
      TOPIC_NOMINATIONS: input,
      TOPIC_DLQ: dlq,
      KAFKA_CLIENT_ID: 'replay-cli-test',
    };

    const dry = await runCli(['replay-dlq', '--dry-run', '--filter', 'code=UNDECODABLE'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('no magic byte');
    expect(dry.stdout).toContain('dry run: scanned 4, matched 1, replayed 0, skipped 3');
    expect(await messageCount(kafka, input)).toBe(0);

    const real = await runCli(['replay-dlq', '--filter', 'reason~timeout'], env);
    expect(real.stdout).toContain('scanned 4, matched 1, replayed 1, skipped 3');
    const [message] = await consumeN(kafka, input, 1);
    expect(message?.value?.toString()).toBe('slow-upstream');
  }, 90_000);
});
