import { getContainerRuntimeClient } from 'testcontainers';
import type { TestProject } from 'vitest/node';
import { loadStackConfig } from '../../src/stack/config.js';
import { shownPath } from '../../src/stack/health.js';
import { createLocalStack } from '../../src/stack/stack.js';
import type { TestServices } from '../helpers/services.js';
import { startContainers } from './containers.js';
import { freePort } from './free-port.js';

/** Which real services the test run uses. */
export type TestBackend = 'environment' | 'testcontainers' | 'local-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    testServices: TestServices;
    testBackend: TestBackend;
  }
}

/**
 * Finds real Kafka, MongoDB-wire and schema-registry servers for the run, in this order:
 * 1. KAFKA_BROKERS, MONGODB_URI and SCHEMA_REGISTRY_URL all set: use them as they are;
 * 2. a Docker engine answers: start the three with testcontainers;
 * 3. otherwise the project's local stack (`npm run stack -- up`), reusing what is up.
 * The choice reaches the test workers twice: as those three variables (vitest 4 forks its
 * workers after global setup, so they inherit process.env; test/helpers/services.ts reads
 * them) and through provide()/inject('testServices').
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const chosen = await chooseBackend();
  process.env.KAFKA_BROKERS = chosen.services.kafkaBrokers.join(',');
  process.env.MONGODB_URI = chosen.services.mongoUri;
  process.env.SCHEMA_REGISTRY_URL = chosen.services.schemaRegistryUrl;
  project.provide('testServices', chosen.services);
  project.provide('testBackend', chosen.backend);
  console.log(
    `[global-setup] backend ${chosen.backend}: ${chosen.description}; KAFKA_BROKERS=${process.env.KAFKA_BROKERS} MONGODB_URI=${chosen.services.mongoUri} SCHEMA_REGISTRY_URL=${chosen.services.schemaRegistryUrl}`,
  );
  return chosen.teardown;
}

interface Chosen {
  backend: TestBackend;
  description: string;
  services: TestServices;
  teardown: () => Promise<void>;
}

async function chooseBackend(): Promise<Chosen> {
  const { KAFKA_BROKERS, MONGODB_URI, SCHEMA_REGISTRY_URL } = process.env;
  if (KAFKA_BROKERS && MONGODB_URI && SCHEMA_REGISTRY_URL) {
    return {
      backend: 'environment',
      description: 'services given by the environment',
      services: {
        kafkaBrokers: KAFKA_BROKERS.split(','),
        mongoUri: MONGODB_URI,
        schemaRegistryUrl: SCHEMA_REGISTRY_URL,
      },
      teardown: () => Promise.resolve(),
    };
  }
  const runtimeHost = await dockerHost();
  if (runtimeHost !== undefined) {
    const containers = await startContainers(runtimeHost, await freePort());
    return {
      backend: 'testcontainers',
      description: `Docker containers on ${runtimeHost}`,
      services: containers.services,
      teardown: containers.stop,
    };
  }
  return localStack();
}

/** The Docker host when an engine answers within a few seconds, else undefined. */
async function dockerHost(): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), 10_000);
  });
  try {
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    return client?.info.containerRuntime.host;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

async function localStack(): Promise<Chosen> {
  const stack = createLocalStack(loadStackConfig(process.env), (line) => console.log(`[stack] ${line}`));
  const results = await stack.up();
  const started = results.filter((r) => r.action === 'started').map((r) => r.name);
  const address = (name: string): string => results.find((r) => r.name === name)?.address ?? '';
  return {
    backend: 'local-stack',
    description: `local stack in ${shownPath(stack.paths.root)} (${results.map((r) => `${r.name} ${r.action}`).join(', ')})`,
    services: {
      kafkaBrokers: [address('kafka')],
      mongoUri: address('ferretdb'),
      schemaRegistryUrl: address('registry'),
    },
    // Stop only what this run started: a stack someone brought up by hand stays up.
    teardown: () => (started.length > 0 ? stack.down(started) : Promise.resolve()),
  };
}
