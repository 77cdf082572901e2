import type { Producer } from 'kafkajs';
import type { AvroCodec } from '../kafka/avro-codec.js';
import { sendEncoded } from '../kafka/producer.js';
import type { EventPublisher } from './nomination-processor.js';

/** The EventPublisher on Kafka: Avro through the registry, resolved once the brokers acknowledged. */
export function kafkaEventPublisher(
  producer: Producer,
  codec: AvroCodec,
  topics: { resolved: string; stub: string },
): EventPublisher {
  return {
    resolved: async (key, event) => {
      await sendEncoded(producer, topics.resolved, [
        { key, value: await codec.encode('movieResolved', event) },
      ]);
    },
    stub: async (key, event) => {
      await sendEncoded(producer, topics.stub, [{ key, value: await codec.encode('movieStub', event) }]);
    },
  };
}
