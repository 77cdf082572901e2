import { describe, expect, it, onTestFinished } from 'vitest';
import { createIdempotentProducer, sendEncoded } from '../../src/kafka/producer.js';
import { FestivalResolverError } from '../../src/errors.js';
import { adminForTest, consumeN, kafkaForTest, testTopic } from '../helpers/kafka.js';
import { uniqueName } from '../helpers/names.js';

describe('idempotent producer', () => {
  it('when encoded messages are sent with keys and headers, then a consumer sees them in key order on one partition', async () => {
    const kafka = kafkaForTest();
    const admin = await adminForTest(kafka);
    const topic = await testTopic(admin, 'producer', 3);
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    onTestFinished(() => producer.disconnect());

    const messages = [1, 2, 3, 4].map((i) => ({
      key: 'tt0111161',
      value: Buffer.from([0, i]),
      headers: { 'x-seq': String(i) },
    }));
    const metadata = await sendEncoded(producer, topic, messages);
    expect(metadata.every((m) => m.errorCode === 0)).toBe(true);

    const received = await consumeN(kafka, topic, 4);
    expect(new Set(received.map((m) => m.partition)).size).toBe(1);
    expect(received.map((m) => m.key?.toString())).toEqual([
      'tt0111161',
      'tt0111161',
      'tt0111161',
      'tt0111161',
    ]);
    expect(received.map((m) => m.headers?.['x-seq']?.toString())).toEqual(['1', '2', '3', '4']);
    expect(received.map((m) => m.value?.[1])).toEqual([1, 2, 3, 4]);
  });

  it('when the topic does not exist, then the send fails as KAFKA_UNAVAILABLE rather than creating it', async () => {
    const kafka = kafkaForTest();
    const producer = createIdempotentProducer(kafka, { retries: 1 });
    await producer.connect();
    onTestFinished(() => producer.disconnect());
    const error: unknown = await sendEncoded(producer, uniqueName('missing'), [
      { key: 'k', value: Buffer.from([0]) },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FestivalResolverError);
    expect((error as FestivalResolverError).code).toBe('KAFKA_UNAVAILABLE');
  });
});
