import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, onTestFinished, test } from 'vitest';
import { loadStackConfig, type StackConfig } from '../../src/stack/config.js';
import { createLocalStack, type LocalStack } from '../../src/stack/stack.js';
import { isAlive } from '../../src/stack/supervisor.js';
import { uniqueName } from '../helpers/names.js';
import { freePort } from '../setup/free-port.js';

/** A Kafka broker of the test's own, on free ports in a temp folder, stopped when it ends. */
async function throwawayBroker(): Promise<{ stack: LocalStack; broker: string; pid: number; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'festival-resolver-broker-'));
  const base = loadStackConfig(process.env);
  const config: StackConfig = {
    ...base,
    dir,
    ports: {
      kafka: await freePort(),
      kafkaController: await freePort(),
      mongo: await freePort(),
      registry: await freePort(),
      postgres: await freePort(),
    },
  };
  const stack = createLocalStack(config);
  onTestFinished(async () => {
    await stack.down(['kafka']);
    rmSync(dir, { recursive: true, force: true });
  });
  const [kafka] = await stack.up(['kafka']);
  if (kafka?.pid === undefined) throw new Error('the throwaway broker has no pid');
  return { stack, broker: kafka.address, pid: kafka.pid, dir };
}

/** Rejects with a "hung" error when the promise has not settled in time, so a hang fails loudly. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung: still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
}

/** Pids of live processes whose command line mentions path. */
function processesMentioning(path: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter((pid) => pid !== process.pid && isAlive(pid));
}

describe('a broker that goes away', () => {
  test('when the broker dies during a test, then a send rejects with a KafkaJS connection error instead of hanging', async () => {
    const { broker, pid } = await throwawayBroker();
    const kafka = new Kafka({
      clientId: uniqueName('broker-loss'),
      brokers: [broker],
      connectionTimeout: 1000,
      requestTimeout: 3000,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
      logLevel: logLevel.NOTHING,
    });
    const topic = uniqueName('broker-loss');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    onTestFinished(() => producer.disconnect().catch(() => undefined));
    await producer.send({ topic, messages: [{ value: 'before' }] });

    process.kill(pid, 'SIGKILL');
    await within(
      (async () => {
        while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
      })(),
      10_000,
    );

    const error: unknown = await within(
      producer.send({ topic, messages: [{ value: 'after' }] }),
      20_000,
    ).then(
      () => new Error('the send succeeded with the broker gone'),
      (e: unknown) => e,
    );
    // kafkajs gives up after its retries with a non-retriable error wrapping the connection error.
    expect(error).toMatchObject({
      name: expect.stringMatching(/^KafkaJS/),
      message: expect.stringMatching(/Connection error: connect ECONNREFUSED/),
    });
    expect((error as Error).cause).toMatchObject({ name: 'KafkaJSConnectionError' });
  }, 120_000);

  test('when down stops a broker, then neither its pid nor any process of its folder is left', async () => {
    const { stack, pid, dir } = await throwawayBroker();
    expect(processesMentioning(dir)).toContain(pid);

    await stack.down(['kafka']);

    expect(isAlive(pid)).toBe(false);
    expect(processesMentioning(dir)).toEqual([]);
    expect((await stack.status()).find((s) => s.name === 'kafka')?.healthy).toBe(false);
  }, 120_000);
});
