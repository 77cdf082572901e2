import type { Producer } from 'kafkajs';
import type { EventPublisher } from '../resolver/ports.js';
import type { AvroCodec } from './avro-codec.js';
import { sendEncoded } from './producer.js';

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
