/**
 * Where the real services of the test run are: global-setup.ts exports these variables
 * (from the environment, testcontainers or the local stack) before any test file runs.
 */
export interface TestServices {
  kafkaBrokers: string[];
  mongoUri: string;
  schemaRegistryUrl: string;
}

export function testServices(): TestServices {
  const brokers = process.env.KAFKA_BROKERS;
  const mongoUri = process.env.MONGODB_URI;
  const registry = process.env.SCHEMA_REGISTRY_URL;
  if (!brokers || !mongoUri || !registry) {
    throw new Error(
      'KAFKA_BROKERS, MONGODB_URI and SCHEMA_REGISTRY_URL must be set by test/setup/global-setup.ts',
    );
  }
  return { kafkaBrokers: brokers.split(','), mongoUri, schemaRegistryUrl: registry };
}
