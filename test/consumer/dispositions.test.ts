import { describe, expect, it } from 'vitest';
import { deadLetter, done, pause, retry, type MessageContext } from '../../src/consumer/disposition.js';
import { InvalidMessageError } from '../../src/errors.js';
import { HealthState } from '../../src/http/health-state.js';
import { consumeN } from '../helpers/kafka.js';
import { cannesNominations } from '../helpers/lineup.js';
import { eventually, json, runnerWorld, sleep } from './runner-fixture.js';

function headersOf(message: { headers?: Record<string, unknown> }): Record<string, string> {
  return Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
}

async function counterValue(
  counter: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> },
  labels: Record<string, string>,
): Promise<number> {
  const { values } = await counter.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}

describe('message dispositions', () => {
  it('when messages are poisoned, then their original bytes land in the DLQ with every header and the next message is handled', async () => {
    const world = await runnerWorld();
    const [film] = cannesNominations(1994);
    const key = film!.film.imdbId!;
    const garbage = Buffer.from([0xff, 0x00, 0x13, 0x37]);
    const rejected = { title: '{"$gt": ""}', seq: 1 };
    await world.produce([{ key, raw: garbage }]);
    await world.produce([
      { key, value: rejected },
      { key, value: { title: film!.film.title, seq: 2 } },
    ]);

    const handled: number[] = [];
    await world.start((message) => {
      let value: { title: string; seq: number };
      try {
        value = JSON.parse(message.value!.toString('utf8')) as typeof value;
      } catch (error) {
        throw new InvalidMessageError('value is not JSON', { cause: error });
      }
      if (value.title.startsWith('{'))
        return Promise.resolve(deadLetter('film.title looks like a MongoDB operator', 'INVALID_FIELD'));
      handled.push(value.seq);
      return Promise.resolve(done());
    });

    await eventually('the valid message handled', () => (handled.includes(2) ? true : undefined));
    const dead = await consumeN(world.kafka, world.topics.dlq, 2);
    dead.sort(
      (a, b) => Number(headersOf(a)['x-original-offset']) - Number(headersOf(b)['x-original-offset']),
    );
    expect(dead.map((m) => m.key?.toString())).toEqual([key, key]);
    expect(dead[0]!.value).toEqual(garbage);
    expect(json(dead[1]!.value)).toEqual(rejected);
    const [first, second] = dead.map(headersOf);
    expect(first).toMatchObject({
      'x-dlq-reason': 'value is not JSON',
      'x-dlq-error-code': 'UNDECODABLE',
      'x-original-topic': world.topics.input,
      'x-original-partition': String(dead[0]!.partition),
      'x-original-offset': '0',
      'x-retry-attempt': '0',
    });
    expect(Number.isNaN(Date.parse(first!['x-dlq-at']!))).toBe(false);
    expect(second).toMatchObject({
      'x-dlq-reason': 'film.title looks like a MongoDB operator',
      'x-dlq-error-code': 'INVALID_FIELD',
      'x-original-offset': '1',
    });
    expect(handled).toEqual([2]);
    expect(await counterValue(world.metrics.deadLetters, { reason: 'undecodable' })).toBe(1);
    expect(await counterValue(world.metrics.deadLetters, { reason: 'invalid_field' })).toBe(1);
    const partition = dead[0]!.partition;
    await eventually('all three offsets committed', async () =>
      (await world.committed()).get(partition) === 3 ? true : undefined,
    );
  });

  it('when the dead-letter copy cannot be produced (connection lost), then the message stays uncommitted and is dead-lettered once Kafka answers again', async () => {
    const world = await runnerWorld();
    await world.produce([{ key: 'tt0110912', value: { title: '$where' }, partition: 2 }]);
    let failuresLeft = 2;
    // The world's producer stands in for the runner's own; the first sends fail as on a lost connection.
    const flaky = {
      send: (record: Parameters<typeof world.producer.send>[0]) =>
        failuresLeft-- > 0
          ? Promise.reject(new Error('Connection error: socket hang up'))
          : world.producer.send(record),
    } as unknown as typeof world.producer;
    let calls = 0;
    await world.start(
      () => {
        calls++;
        return Promise.resolve(deadLetter('film.title starts with "$"', 'INVALID_FIELD'));
      },
      { producer: flaky },
    );

    const [dead] = await consumeN(world.kafka, world.topics.dlq, 1);
    expect(json(dead!.value)).toEqual({ title: '$where' });
    expect(calls).toBe(3);
    await eventually('the offset committed once the copy is acknowledged', async () =>
      (await world.committed()).get(2) === 1 ? true : undefined,
    );
    const errors = world.logs.lines.filter(
      (l) => l.msg === 'could not publish the retry or dead-letter copy; the message will be delivered again',
    );
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({
      partition: 2,
      offset: '0',
      disposition: 'dead_letter',
      detail: 'Connection error: socket hang up',
    });
    expect(await counterValue(world.metrics.messagesProcessed, { outcome: 'failed' })).toBe(2);
  });

  it('when a handler asks for a retry, then a copy with attempt and not-before goes to the retry topic and comes back as the next attempt until attempts run out', async () => {
    const world = await runnerWorld();
    await world.produce([
      { key: 'tt0110912', value: { film: 'recovers on the last attempt' } },
      { key: 'tt0111495', value: { film: 'keeps failing' } },
    ]);

    const seen: {
      key: string;
      attempt: number;
      exhausted: boolean;
      topic: string;
      at: number;
      notBefore: number;
    }[] = [];
    await world.start((message, context: MessageContext) => {
      const key = message.key!.toString();
      seen.push({
        key,
        attempt: context.attempt,
        exhausted: context.attemptsExhausted,
        topic: context.topic,
        at: Date.now(),
        notBefore: Number(context.headers['x-retry-not-before'] ?? 0),
      });
      if (key === 'tt0110912' && context.attemptsExhausted) return Promise.resolve(done());
      // The second key ignores exhaustion: the runner must dead-letter it rather than loop.
      return Promise.resolve(retry('TMDb answered 503', { code: 'transient', source: 'tmdb', delayMs: 400 }));
    });

    await eventually('both keys through three attempts', () => (seen.length >= 6 ? true : undefined));
    for (const key of ['tt0110912', 'tt0111495']) {
      const attempts = seen.filter((s) => s.key === key);
      expect(attempts.map((s) => [s.attempt, s.exhausted, s.topic === world.topics.retry])).toEqual([
        [1, false, false],
        [2, false, true],
        [3, true, true],
      ]);
      // A retried copy is never handled before its not-before.
      for (const s of attempts.slice(1)) expect(s.at).toBeGreaterThanOrEqual(s.notBefore);
    }

    const copies = await consumeN(world.kafka, world.topics.retry, 4);
    const firstCopy = copies.find(
      (c) => c.key?.toString() === 'tt0110912' && headersOf(c)['x-retry-attempt'] === '1',
    )!;
    expect(json(firstCopy.value)).toEqual({ film: 'recovers on the last attempt' });
    expect(headersOf(firstCopy)).toMatchObject({
      'x-retry-reason': 'TMDb answered 503',
      'x-original-topic': world.topics.input,
      'x-original-offset': '0',
    });
    expect(Number(headersOf(firstCopy)['x-retry-not-before'])).toBeGreaterThan(Number(firstCopy.timestamp));
    expect(copies.map((c) => headersOf(c)['x-retry-attempt']).sort()).toEqual(['1', '1', '2', '2']);

    const [dead] = await consumeN(world.kafka, world.topics.dlq, 1);
    expect(dead!.key?.toString()).toBe('tt0111495');
    expect(headersOf(dead!)).toMatchObject({
      'x-dlq-error-code': 'RETRIES_EXHAUSTED',
      'x-retry-attempt': '2',
      'x-original-topic': world.topics.input,
    });
    expect(headersOf(dead!)['x-dlq-reason']).toMatch(/retries exhausted after 3 attempts: TMDb answered 503/);
    expect(await counterValue(world.metrics.retries, { source: 'tmdb', reason: 'transient' })).toBe(4);
  });

  it('when a handler reports an operator problem, then consumption pauses, health turns unhealthy and later messages wait until resume', async () => {
    const world = await runnerWorld();
    const health = new HealthState();
    health.setReady(true);
    let keyRejected = true;
    const handled: string[] = [];
    await world.produce([{ key: 'tt0110912', value: { n: 'first' } }]);
    const runner = await world.start(
      (message) => {
        const { n } = json(message.value) as { n: string };
        if (keyRejected)
          return Promise.resolve(pause('TMDb rejected the API key (status_code 7): set TMDB_READ_TOKEN'));
        handled.push(n);
        return Promise.resolve(done());
      },
      { health },
    );

    await eventually('the runner paused', () => runner.pausedReason() ?? undefined);
    expect(health.snapshot()).toMatchObject({
      healthy: false,
      ready: false,
      problems: { consumer: expect.stringMatching(/TMDB_READ_TOKEN/) },
    });
    const line = world.logs.lines.find(
      (l) => typeof l.msg === 'string' && l.msg.startsWith('consumption paused'),
    );
    expect(line).toMatchObject({ level: 50, reason: expect.stringMatching(/set TMDB_READ_TOKEN/) });

    await world.produce([{ key: 'tt0111495', value: { n: 'later' } }]);
    // Give a running consumer ample time to (wrongly) fetch the later message.
    await sleep(2000);
    expect(handled).toEqual([]);
    const committed = await world.committed();
    expect([...committed.values()].every((o) => o === -1)).toBe(true);

    keyRejected = false;
    runner.resume();
    await eventually('both messages handled after resume', () => (handled.length >= 2 ? true : undefined));
    expect(handled.sort()).toEqual(['first', 'later']);
    expect(health.snapshot().healthy).toBe(true);
  });

  it('when messages wait, then the lag gauge counts them, and it falls to zero once they are handled', async () => {
    const world = await runnerWorld();
    await world.produce(
      cannesNominations(1994).map((n) => ({ key: n.film.imdbId!, value: { title: n.film.title } })),
    );
    const total = cannesNominations(1994).length;
    let release = false;
    let handled = 0;
    const runner = await world.start(async () => {
      while (!release) await sleep(50);
      handled++;
      return done();
    });

    await runner.refreshLag();
    const lagOf = async () => {
      const { values } = await world.metrics.consumerLag.get();
      return values.filter((v) => v.labels.topic === world.topics.input).reduce((sum, v) => sum + v.value, 0);
    };
    expect(await lagOf()).toBe(total);
    release = true;
    await eventually('all handled', () => (handled >= total ? true : undefined));
    await eventually('lag back to zero', async () => {
      await sleep(1100); // the reporter refreshes at most once a second
      await runner.refreshLag();
      return (await lagOf()) === 0 ? true : undefined;
    });
  });
});
