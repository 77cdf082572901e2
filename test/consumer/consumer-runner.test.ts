import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { startConsumerRunner } from '../../src/consumer/consumer-runner.js';
import { done, type InboundMessage, type MessageContext } from '../../src/consumer/disposition.js';
import { FestivalResolverError } from '../../src/errors.js';
import { cannesNominations } from '../helpers/lineup.js';
import { captureLogs, eventually, json, runnerWorld, sleep } from './runner-fixture.js';

describe('consumer runner', () => {
  it('when several keys arrive, then each key is handled strictly in order while different keys overlap', async () => {
    const world = await runnerWorld();
    // Real films as keys: 6 films × 4 nominations each, interleaved as a producer would send them.
    const films = cannesNominations(1994).slice(0, 6);
    const messages = [0, 1, 2, 3].flatMap((seq) =>
      films.map((n) => ({ key: n.film.imdbId!, value: { title: n.film.title, seq } })),
    );
    await world.produce(messages);

    const events: { key: string; seq: number; edge: 'start' | 'end' }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    await world.start(async (message) => {
      const key = message.key!.toString();
      const { seq } = json(message.value) as { seq: number };
      events.push({ key, seq, edge: 'start' });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await sleep(40);
      inFlight--;
      events.push({ key, seq, edge: 'end' });
      return done();
    });

    await eventually('every message handled', () =>
      events.filter((e) => e.edge === 'end').length >= messages.length ? true : undefined,
    );
    for (const film of films) {
      const ofKey = events.filter((e) => e.key === film.film.imdbId).map((e) => `${e.edge}:${e.seq}`);
      // No overlap within a key and the produced order kept: start 0, end 0, start 1, end 1, …
      expect(ofKey).toEqual([0, 1, 2, 3].flatMap((seq) => [`start:${seq}`, `end:${seq}`]));
    }
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    // Every offset committed once the work is done.
    await world.allCommitted();
  });

  it('when a second instance joins mid-run, then the rebalance loses nothing and one key never runs on both at once', async () => {
    const world = await runnerWorld();
    const films = cannesNominations(1997).slice(0, 6);
    // Enough work (48 × 250 ms over 4 slots) that the second instance joins while it runs.
    const messages = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((seq) =>
      films.map((n) => ({ key: n.film.imdbId!, value: { seq } })),
    );
    await world.produce(messages);

    const events: { key: string; seq: number; edge: 'start' | 'end'; instance: string }[] = [];
    const handlerOf = (instance: string) => async (message: InboundMessage) => {
      const key = message.key!.toString();
      const { seq } = json(message.value) as { seq: number };
      events.push({ key, seq, edge: 'start', instance });
      await sleep(250);
      events.push({ key, seq, edge: 'end', instance });
      return done();
    };
    await world.start(handlerOf('a'));
    await eventually('a few messages handled by the first instance', () =>
      events.length >= 6 ? true : undefined,
    );
    await world.start(handlerOf('b'));

    await world.allCommitted(45_000);
    const handled = new Set(events.filter((e) => e.edge === 'end').map((e) => `${e.key}:${e.seq}`));
    expect(handled.size).toBe(messages.length);
    for (const film of films) {
      const ofKey = events.filter((e) => e.key === film.film.imdbId);
      // Strict alternation start/end: no two messages of one key ever overlap, on any instance.
      expect(ofKey.map((e) => e.edge)).toEqual(ofKey.map((_, i) => (i % 2 === 0 ? 'start' : 'end')));
    }
    expect(new Set(events.map((e) => e.instance))).toEqual(new Set(['a', 'b']));
  });

  it('when a handler throws unexpectedly, then that offset is not committed and a restarted runner handles it', async () => {
    const world = await runnerWorld();
    const key = 'tt0110912';
    await world.produce([0, 1, 2, 3].map((seq) => ({ key, value: { seq } })));

    const firstRun: number[] = [];
    const runner = await world.start(async (message: InboundMessage) => {
      const { seq } = json(message.value) as { seq: number };
      firstRun.push(seq);
      await sleep(1);
      if (seq === 2) throw new Error('database driver bug');
      return done();
    });
    // The failing message comes back (after a backoff) and still fails.
    await eventually('the failing message delivered twice', () =>
      firstRun.filter((s) => s === 2).length >= 2 ? true : undefined,
    );
    const [failed] = await failedCoordinates(world.logs.lines);
    const { partition, offset: failedOffset } = failed!;
    const committedBefore = await eventually('offsets before the failure committed', async () => {
      const c = (await world.committed()).get(partition);
      return c === failedOffset ? c : undefined;
    });
    expect(committedBefore).toBe(failedOffset);
    // Order per key: what follows the failing message waits for it.
    expect(firstRun.filter((s) => s === 3)).toEqual([]);
    await runner.stop();
    expect((await world.committed()).get(partition)).toBe(failedOffset);

    const secondRun: number[] = [];
    await world.start((message) => {
      secondRun.push((json(message.value) as { seq: number }).seq);
      return Promise.resolve(done());
    });
    await eventually('the rest handled after the restart', () => (secondRun.length >= 2 ? true : undefined));
    expect(secondRun).toEqual([2, 3]);
    await eventually('offsets committed to the end', async () =>
      (await world.committed()).get(partition) === failedOffset + 2 ? true : undefined,
    );
  });

  it('when a batch is delivered again after a failure, then messages of other keys already done are not handled twice', async () => {
    const world = await runnerWorld();
    // Two films on one partition: the first fails once, the second succeeds at once.
    await world.produce([
      { key: 'tt0110912', value: { n: 'fails once' }, partition: 0 },
      { key: 'tt0111495', value: { n: 'fine' }, partition: 0 },
    ]);
    const calls: string[] = [];
    await world.start(async (message) => {
      const { n } = json(message.value) as { n: string };
      calls.push(n);
      await sleep(1);
      if (n === 'fails once' && calls.filter((c) => c === n).length === 1) throw new Error('transient bug');
      return done();
    });
    await eventually('both offsets committed', async () =>
      (await world.committed()).get(0) === 2 ? true : undefined,
    );
    expect(calls.filter((c) => c === 'fails once')).toHaveLength(2);
    expect(calls.filter((c) => c === 'fine')).toHaveLength(1);
  });

  it('when one message takes longer than the session timeout, then heartbeats keep the member in the group and it is handled once', async () => {
    const world = await runnerWorld();
    await world.produce([{ key: 'tt0110912', value: { n: 'slow' }, partition: 1 }]);
    let calls = 0;
    await world.start(
      async () => {
        calls++;
        // Longer than the 6 s session: without heartbeats from inside the batch the broker
        // would evict the member, the commit would fail and the message would come back.
        await sleep(8000);
        return done();
      },
      { consumerConfig: { sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 } },
    );
    await eventually(
      'the slow message committed',
      async () => ((await world.committed()).get(1) === 1 ? true : undefined),
      30_000,
    );
    expect(calls).toBe(1);
  });

  it('when stop() is called while a slow handler runs, then the handler completes and its offset is committed before disconnect', async () => {
    const world = await runnerWorld();
    const key = 'tt0111495';
    await world.produce([
      { key, value: { seq: 0 } },
      { key, value: { seq: 1 } },
    ]);

    const timeline: string[] = [];
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    let partition = -1;
    let offset = -1;
    const runner = await world.start(async (message: InboundMessage, context: MessageContext) => {
      const { seq } = json(message.value) as { seq: number };
      timeline.push(`start:${seq}`);
      partition = context.partition;
      offset = Number(context.offset);
      started();
      await sleep(1500);
      timeline.push(`end:${seq}`);
      return done();
    });

    await handlerStarted;
    timeline.push('stop');
    await runner.stop({ drainTimeoutMs: 10_000 });
    timeline.push('stopped');

    expect(timeline).toEqual(['start:0', 'stop', 'end:0', 'stopped']);
    expect((await world.committed()).get(partition)).toBe(offset + 1);
    expect(world.logs.lines.some((l) => l.msg === 'consumer stopped')).toBe(true);
  });

  it('when a handler outlives the drain timeout, then stop() still returns and the message is not committed', async () => {
    const world = await runnerWorld();
    await world.produce([{ key: 'tt0110413', value: { seq: 0 } }]);
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    let partition = -1;
    const runner = await world.start(async (_message, context) => {
      partition = context.partition;
      started();
      await sleep(8000);
      return done();
    });
    await handlerStarted;
    await runner.stop({ drainTimeoutMs: 300 });
    expect((await world.committed()).get(partition) ?? -1).toBe(-1);
    expect(
      world.logs.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('drain timeout reached')),
    ).toBe(true);
  });

  it('when the brokers cannot be reached, then start-up fails with a clear KAFKA_UNAVAILABLE error', async () => {
    const kafka = new Kafka({
      clientId: 'closed-port',
      brokers: ['127.0.0.1:1'],
      connectionTimeout: 500,
      retry: { retries: 1, initialRetryTime: 100 },
      logLevel: logLevel.NOTHING,
    });
    const world = { topics: { input: 'never-in', retry: 'never-retry', dlq: 'never-dlq' } };
    const start = startConsumerRunner({
      kafka,
      groupId: 'never',
      topics: world.topics,
      concurrency: 1,
      handler: () => Promise.resolve(done()),
      logger: captureLogs().logger,
    });
    await expect(start).rejects.toBeInstanceOf(FestivalResolverError);
    await expect(start).rejects.toMatchObject({ code: 'KAFKA_UNAVAILABLE', retryable: true });
    await expect(start).rejects.toThrow(
      /consumer group never could not start on topics never-in, never-retry: .*(ECONNREFUSED|Connection error)/,
    );
  });
});

/** Coordinates from the runner's "handler failed unexpectedly" log lines. */
async function failedCoordinates(
  lines: Record<string, unknown>[],
): Promise<{ partition: number; offset: number }[]> {
  const failed = await eventually('an error log line with coordinates', () => {
    const found = lines.filter(
      (l) =>
        l.msg === 'handler failed unexpectedly; the message is not committed and will be delivered again',
    );
    return found.length > 0 ? found : undefined;
  });
  for (const line of failed) {
    expect(line).toMatchObject({
      level: 50,
      component: 'consumer',
      topic: expect.any(String),
      partition: expect.any(Number),
      offset: expect.any(String),
      err: { message: 'database driver bug' },
    });
  }
  return failed.map((l) => ({ partition: l.partition as number, offset: Number(l.offset) }));
}
