import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import { onTestFinished } from 'vitest';
import { waitForTopicLeaders } from '../../src/kafka/topics.js';
import { uniqueName } from './names.js';
import { testServices } from './services.js';

/** A kafkajs client on the test broker: short timeouts, few retries, errors only. */
export function kafkaForTest(clientId = uniqueName('test-client')): Kafka {
  return new Kafka({
    clientId,
    brokers: testServices().kafkaBrokers,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    logLevel: logLevel.NOTHING,
  });
}

/** A connected admin client, disconnected when the test ends. */
export async function adminForTest(kafka: Kafka): Promise<Admin> {
  const admin = kafka.admin();
  await admin.connect();
  onTestFinished(() => admin.disconnect());
  return admin;
}

/** A random topic of the test's own, deleted when the test ends. */
export async function testTopic(admin: Admin, prefix = 'test', numPartitions = 3): Promise<string> {
  const topic = uniqueName(prefix);
  onTestFinished(async () => {
    await admin.deleteTopics({ topics: [topic], timeout: 5000 }).catch(() => undefined);
  });
  await admin.createTopics({ topics: [{ topic, numPartitions }] });
  await waitForTopicLeaders(admin, [topic]);
  return topic;
}

/** A consumer group id no other test uses. */
export function testGroupId(prefix = 'test-group'): string {
  return uniqueName(prefix);
}

/** A message as consumed, with the partition it came from. */
export type ConsumedMessage = KafkaMessage & { partition: number };

/**
 * Consumes the first `n` messages of `topic` from the beginning with a group of its own.
 * Rejects with a message naming the topic and what arrived when `timeoutMs` passes, so a
 * test never hangs; the consumer is always disconnected.
 */
export async function consumeN(
  kafka: Kafka,
  topic: string,
  n: number,
  timeoutMs = 15_000,
  groupId = testGroupId(),
): Promise<ConsumedMessage[]> {
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 200,
  });
  const received: ConsumedMessage[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<ConsumedMessage[]>((resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `consumeN: timed out after ${timeoutMs} ms waiting for ${n} message(s) on ${topic}; got ${received.length}`,
            ),
          ),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: ({ message, partition }) => {
            received.push({ ...message, partition });
            if (received.length >= n) resolve(received.slice(0, n));
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

/** Deletes a subject from the test registry (soft, then permanent), ignoring a missing one. */
export async function deleteSubject(subject: string): Promise<void> {
  const base = `${testServices().schemaRegistryUrl}/subjects/${encodeURIComponent(subject)}`;
  await fetch(base, { method: 'DELETE' }).catch(() => undefined);
  await fetch(`${base}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
}

/** Service topic names of the test's own: their `<topic>-value` subjects are deleted at the end. */
export function testTopicNames(prefix = 'fr'): {
  nominations: string;
  resolved: string;
  stub: string;
  retry: string;
  dlq: string;
} {
  const p = uniqueName(prefix);
  const topics = {
    nominations: `${p}.nominations`,
    resolved: `${p}.resolved`,
    stub: `${p}.stub`,
    retry: `${p}.retry`,
    dlq: `${p}.dlq`,
  };
  onTestFinished(async () => {
    for (const topic of Object.values(topics)) await deleteSubject(`${topic}-value`);
  });
  return topics;
}
