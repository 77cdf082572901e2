import { EventEmitter } from 'node:events';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { groupByKey } from '../../src/consumer/batch-processor.js';
import { deadLetterHeaders } from '../../src/consumer/dead-letter.js';
import { installGracefulShutdown, type ShutdownProcess } from '../../src/consumer/graceful-shutdown.js';
import { decodeHeaders } from '../../src/consumer/headers.js';
import { OffsetWatermark } from '../../src/consumer/offset-watermark.js';
import { readRetryState, retryDelayMs, retryHeaders } from '../../src/consumer/retry-topic.js';
import { Semaphore } from '../../src/consumer/semaphore.js';
import { processMessage, type MessageProcessorDeps } from '../../src/consumer/process-message.js';
import { FestivalResolverError } from '../../src/errors.js';
import type { Producer } from 'kafkajs';
import { pino } from 'pino';
import { captureLogs } from './runner-fixture.js';

function message(offset: string, key: string | null): KafkaMessage {
  return {
    offset,
    key: key === null ? null : Buffer.from(key),
    value: null,
    timestamp: '0',
    attributes: 0,
    headers: {},
  };
}

describe('OffsetWatermark', () => {
  it('when messages finish out of order, then the committable offset only moves over a contiguous run of finished ones', () => {
    const w = new OffsetWatermark(['10', '11', '12', '13']);
    expect(w.markDone(2)).toBeNull();
    expect(w.committable).toBeNull();
    expect(w.markDone(0)).toBe('10');
    expect(w.markDone(1)).toBe('12');
    expect(w.allDone).toBe(false);
    expect(w.markDone(3)).toBe('13');
    expect(w.allDone).toBe(true);
  });
});

describe('groupByKey', () => {
  it('when keys repeat, then each group keeps offset order and keyless messages stand alone', () => {
    const groups = groupByKey([
      message('0', 'a'),
      message('1', 'b'),
      message('2', null),
      message('3', 'a'),
      message('4', null),
    ]);
    expect(groups.map((g) => g.map((m) => m.message.offset))).toEqual([['0', '3'], ['1'], ['2'], ['4']]);
  });
});

describe('retry delay', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000 };

  it('when attempts grow, then the delay doubles within its jitter band and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, policy, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect([1, 2, 3].map((a) => retryDelayMs(a, policy, () => 0))).toEqual([500, 1000, 2000]);
  });

  it('when a message is retried twice, then the attempt counts up and the first coordinates are kept', () => {
    const at = { topic: 'in', partition: 2, offset: '41' };
    const first = retryHeaders({
      key: null,
      value: null,
      headers: { trace: 'x' },
      state: readRetryState({}, at),
      reason: 'r',
      delayMs: 100,
      now: 1000,
    });
    expect(first).toMatchObject({
      trace: 'x',
      'x-retry-attempt': '1',
      'x-retry-not-before': '1100',
      'x-original-topic': 'in',
      'x-original-partition': '2',
      'x-original-offset': '41',
    });
    const again = readRetryState(first, { topic: 'in.retry', partition: 0, offset: '7' });
    expect(again).toEqual({
      retries: 1,
      notBefore: 1100,
      since: 1000,
      tierAttempts: {},
      originalTopic: 'in',
      originalPartition: 2,
      originalOffset: '41',
    });
    const dlq = deadLetterHeaders({
      key: null,
      value: null,
      headers: first,
      reason: 'gone',
      code: 'X',
      state: again,
      now: 0,
    });
    expect(dlq).toMatchObject({
      'x-dlq-reason': 'gone',
      'x-dlq-error-code': 'X',
      'x-original-offset': '41',
      'x-retry-attempt': '1',
      'x-dlq-at': '1970-01-01T00:00:00.000Z',
    });
  });

  it('when the handler carries per-tier counts and the first failure time, then they survive the round trip through the headers', () => {
    const at = { topic: 'in', partition: 0, offset: '1' };
    const headers = retryHeaders({
      key: null,
      value: null,
      headers: {},
      state: readRetryState({}, at),
      reason: 'r',
      delayMs: 10,
      now: 5000,
      since: 1234,
      tierAttempts: { tmdb: 3, 'imdb.blocked': 1, omdb: 0 },
    });
    expect(headers['x-retry-tiers']).toBe('tmdb=3,imdb.blocked=1');
    const state = readRetryState(headers, { topic: 'in.retry', partition: 0, offset: '2' });
    expect(state).toMatchObject({ since: 1234, tierAttempts: { tmdb: 3, 'imdb.blocked': 1 } });
    expect(
      readRetryState({ ...headers, 'x-retry-tiers': 'tmdb=x,=2,BAD=1,omdb=2' }, at).tierAttempts,
    ).toEqual({ omdb: 2 });
  });

  it('when retry headers are garbage, then the message counts as a first retry-less delivery', () => {
    expect(
      readRetryState(
        { 'x-retry-attempt': '-3', 'x-retry-not-before': 'soon' },
        { topic: 't', partition: 0, offset: '0' },
      ),
    ).toMatchObject({ retries: 0, notBefore: 0 });
    expect(
      decodeHeaders({ a: Buffer.from('1'), b: [Buffer.from('x'), Buffer.from('y')], c: undefined }),
    ).toEqual({ a: '1', b: 'y' });
  });
});

describe('Semaphore', () => {
  it('when more work arrives than slots, then at most capacity runs at once and all of it finishes', async () => {
    const slots = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const work = Array.from({ length: 6 }, (_, i) =>
      slots.run(async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return i;
      }),
    );
    expect(await Promise.all(work)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });
});

class FakeProcess extends EventEmitter implements ShutdownProcess {
  exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

describe('installGracefulShutdown', () => {
  it('when SIGTERM arrives, then the steps run in order and the process exits 0', async () => {
    const proc = new FakeProcess();
    const order: string[] = [];
    const steps = ['consumer', 'http', 'mongo'].map((name) => ({
      name,
      stop: () => Promise.resolve(void order.push(name)),
    }));
    const shutdown = installGracefulShutdown({ steps, logger: captureLogs().logger, process: proc });
    proc.emit('SIGTERM', 'SIGTERM');
    await shutdown.shutdown('test');
    expect(order).toEqual(['consumer', 'http', 'mongo']);
    expect(proc.exits).toEqual([0]);
    shutdown.uninstall();
    expect(proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('when a step fails, then the later steps still run and the exit code is 1', async () => {
    const proc = new FakeProcess();
    const order: string[] = [];
    const steps = [
      { name: 'consumer', stop: () => Promise.reject(new Error('commit failed')) },
      { name: 'mongo', stop: () => Promise.resolve(void order.push('mongo')) },
    ];
    const shutdown = installGracefulShutdown({ steps, logger: captureLogs().logger, process: proc });
    expect(await shutdown.shutdown('test')).toBe(1);
    expect(order).toEqual(['mongo']);
    expect(proc.exits).toEqual([1]);
    shutdown.uninstall();
  });

  it('when a second signal arrives during the drain, then the process exits 1 at once', () => {
    const proc = new FakeProcess();
    const steps = [{ name: 'consumer', stop: () => new Promise<void>(() => undefined) }];
    const shutdown = installGracefulShutdown({
      steps,
      logger: captureLogs().logger,
      process: proc,
      timeoutMs: 60_000,
    });
    proc.emit('SIGINT', 'SIGINT');
    proc.emit('SIGINT', 'SIGINT');
    expect(proc.exits).toEqual([1]);
    shutdown.uninstall();
  });

  it('when the steps outlast the timeout, then the process exits 1', async () => {
    const proc = new FakeProcess();
    const steps = [{ name: 'consumer', stop: () => new Promise<void>(() => undefined) }];
    const shutdown = installGracefulShutdown({
      steps,
      logger: captureLogs().logger,
      process: proc,
      timeoutMs: 50,
    });
    expect(await shutdown.shutdown('test')).toBe(1);
    expect(proc.exits).toEqual([1]);
    shutdown.uninstall();
  });
});

describe('processMessage and thrown errors', () => {
  const deps = (
    thrown: unknown,
    sent: { topic: string; headers: Record<string, unknown> }[],
  ): MessageProcessorDeps => ({
    topics: { input: 'in', retry: 'in.retry', dlq: 'in.dlq' },
    producer: {
      send: (record: { topic: string; messages: { headers?: Record<string, unknown> }[] }) => {
        sent.push({ topic: record.topic, headers: record.messages[0]?.headers ?? {} });
        return Promise.resolve([]);
      },
    } as unknown as Producer,
    handler: () => Promise.reject(thrown instanceof Error ? thrown : new Error(String(thrown))),
    retryPolicy: { baseDelayMs: 100 },
    maxRetryWaitMs: 1000,
    slots: new Semaphore(1),
    logger: pino({ level: 'silent' }),
    now: () => 0,
    random: () => 0.5,
  });
  const at = { topic: 'in', partition: 0, offset: '5' };

  it('when the handler throws an error retrying cannot fix, then the message is dead-lettered with its code', async () => {
    const sent: { topic: string; headers: Record<string, unknown> }[] = [];
    const result = await processMessage(
      deps(new FestivalResolverError('SCHEMA_INCOMPATIBLE', 'refused'), sent),
      message('5', 'k'),
      at,
      new AbortController().signal,
    );
    expect(result).toEqual({ kind: 'done' });
    expect(sent).toMatchObject([{ topic: 'in.dlq', headers: { 'x-dlq-error-code': 'SCHEMA_INCOMPATIBLE' } }]);
  });

  it('when the handler throws a retryable error, then the message is not committed and nothing is published', async () => {
    const sent: { topic: string; headers: Record<string, unknown> }[] = [];
    const result = await processMessage(
      deps(new FestivalResolverError('MONGO_UNAVAILABLE', 'gone'), sent),
      message('5', 'k'),
      at,
      new AbortController().signal,
    );
    expect(result).toEqual({ kind: 'failed' });
    expect(sent).toEqual([]);
  });
});
