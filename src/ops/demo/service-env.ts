import { TWIN_OMDB_KEY, TWIN_TMDB_TOKEN, TWIN_ZYTE_KEY } from '../../twin/options.js';
import type { DemoNames } from './demo-names.js';

/** Where the local stack listens. */
export interface StackAddresses {
  kafka: string;
  mongo: string;
  registry: string;
}

/** The service's variables for this run; without the twin's URLs the sources keep their defaults (unused). */
export function serviceEnv(
  names: DemoNames,
  stack: StackAddresses,
  twinUrls?: { tmdb: string; omdb: string; zyte: string },
  httpPort = 0,
): Record<string, string> {
  return {
    KAFKA_BROKERS: stack.kafka,
    SCHEMA_REGISTRY_URL: stack.registry,
    MONGODB_URI: stack.mongo,
    MONGODB_DATABASE: names.database,
    KAFKA_GROUP_ID: names.groupId,
    KAFKA_CLIENT_ID: names.clientId,
    TOPIC_NOMINATIONS: names.topics.nominations,
    TOPIC_RESOLVED: names.topics.resolved,
    TOPIC_STUB: names.topics.stub,
    TOPIC_RETRY: names.topics.retry,
    TOPIC_DLQ: names.topics.dlq,
    TOPIC_PARTITIONS: '6',
    HTTP_PORT: String(httpPort),
    LOG_LEVEL: 'info',
    ...(twinUrls === undefined
      ? {}
      : {
          TMDB_BASE_URL: twinUrls.tmdb,
          TMDB_READ_TOKEN: TWIN_TMDB_TOKEN,
          OMDB_BASE_URL: twinUrls.omdb,
          OMDB_API_KEY: TWIN_OMDB_KEY,
          ZYTE_BASE_URL: twinUrls.zyte,
          ZYTE_API_KEY: TWIN_ZYTE_KEY,
        }),
    // The twin's fixed rate-limit windows are not aligned with the shared limiter's, so a few
    // 429s happen at window edges; short back-offs keep the run brisk.
    RETRY_BASE_DELAY_MS: '300',
  };
}
