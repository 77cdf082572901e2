import {
  GenericContainer,
  Network,
  Wait,
  type StartedNetwork,
  type StartedTestContainer,
} from 'testcontainers';
import { newClusterId } from '../../src/stack/kafka.js';
import type { TestServices } from '../helpers/services.js';

/** Images of the Docker backend; the same major versions as docker-compose.yml. */
const images = {
  kafka: 'apache/kafka:3.9.1',
  mongo: 'mongo:7.0',
  registry: 'confluentinc/cp-schema-registry:7.7.1',
};

/** Running containers and how to stop them. */
export interface ContainerServices {
  services: TestServices;
  stop: () => Promise<void>;
}

/**
 * Kafka (KRaft), MongoDB and a Confluent Schema Registry in Docker. Kafka advertises two
 * listeners: the host port for the tests and kafka:19092 inside the network for the
 * registry. The host port is fixed before start because the advertised address must be
 * known when the broker boots.
 */
export async function startContainers(
  runtimeHost: string,
  kafkaHostPort: number,
): Promise<ContainerServices> {
  const network: StartedNetwork = await new Network().start();
  const started: StartedTestContainer[] = [];
  try {
    const [kafka, mongo] = await Promise.all([
      new GenericContainer(images.kafka)
        .withNetwork(network)
        .withNetworkAliases('kafka')
        .withExposedPorts({ container: 9092, host: kafkaHostPort })
        .withEnvironment({
          CLUSTER_ID: newClusterId(),
          KAFKA_NODE_ID: '1',
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_LISTENERS: 'PLAINTEXT://:9092,BROKER://:19092,CONTROLLER://:9093',
          KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${runtimeHost}:${kafkaHostPort},BROKER://kafka:19092`,
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
          KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '6',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
          KAFKA_NUM_PARTITIONS: '3',
        })
        .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
        .withStartupTimeout(120_000)
        .start()
        .then(track(started)),
      new GenericContainer(images.mongo)
        .withExposedPorts(27017)
        .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
        .withStartupTimeout(120_000)
        .start()
        .then(track(started)),
    ]);
    const registry = await new GenericContainer(images.registry)
      .withNetwork(network)
      .withExposedPorts(8081)
      .withEnvironment({
        SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
        SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
        SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: 'PLAINTEXT://kafka:19092',
      })
      .withWaitStrategy(Wait.forHttp('/subjects', 8081).forStatusCode(200))
      .withStartupTimeout(120_000)
      .start()
      .then(track(started));
    return {
      services: {
        kafkaBrokers: [`${kafka.getHost()}:${kafkaHostPort}`],
        mongoUri: `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}`,
        schemaRegistryUrl: `http://${registry.getHost()}:${registry.getMappedPort(8081)}`,
      },
      stop: () => stopAll(started, network),
    };
  } catch (error) {
    await stopAll(started, network);
    throw error;
  }
}

function track(list: StartedTestContainer[]): (c: StartedTestContainer) => StartedTestContainer {
  return (container) => {
    list.push(container);
    return container;
  };
}

async function stopAll(containers: StartedTestContainer[], network: StartedNetwork): Promise<void> {
  await Promise.allSettled(containers.map((c) => c.stop()));
  await network.stop().catch(() => undefined);
}
