import type { Admin, Kafka, ITopicConfig } from 'kafkajs';
import { FestivalResolverError } from '../errors.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** One topic the service needs, with its partitions and topic-level settings. */
export interface TopicSpec {
  topic: string;
  numPartitions: number;
  configEntries?: { name: string; value: string }[];
}

/**
 * The topics of the service. The input, retry, output and DLQ topics share the partition
 * count so that a film key maps to the same partition number everywhere. The DLQ keeps
 * messages 30 days: it is replayed by a human, not by the next deploy.
 */
export function serviceTopics(config: Config['kafka']): TopicSpec[] {
  const { nominations, resolved, stub, retry, dlq } = config.topics;
  const n = config.partitions;
  return [
    { topic: nominations, numPartitions: n },
    { topic: resolved, numPartitions: n },
    { topic: stub, numPartitions: n },
    { topic: retry, numPartitions: n },
    {
      topic: dlq,
      numPartitions: n,
      configEntries: [{ name: 'retention.ms', value: String(30 * 24 * 3600 * 1000) }],
    },
  ];
}

/**
 * Creates the topics that do not exist yet; existing topics are left as they are (their
 * partition count is not changed: that would move keys between partitions). Idempotent.
 * Returns the names it created.
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
  logger: Logger,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing: ITopicConfig[] = specs
      .filter((s) => !existing.has(s.topic))
      .map((s) => ({
        topic: s.topic,
        numPartitions: s.numPartitions,
        replicationFactor: -1,
        configEntries: s.configEntries,
      }));
    if (missing.length === 0) return [];
    // createTopics resolves false when another instance created them first: still fine.
    await admin.createTopics({ topics: missing, waitForLeaders: false });
    await waitForTopicLeaders(
      admin,
      missing.map((t) => t.topic),
    );
    const created = missing.map((t) => t.topic);
    logger.info({ topics: created }, 'created topics');
    return created;
  } finally {
    await admin.disconnect();
  }
}

function isTransientMetadataError(error: unknown): boolean {
  const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE';
}

/**
 * Waits until every partition of the topics has a leader. kafkajs's own `waitForLeaders`
 * gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker answers for a moment after
 * creating several topics at once; we treat it as "not yet".
 */
export async function waitForTopicLeaders(
  admin: Admin,
  topics: readonly string[],
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (
        meta.length === topics.length &&
        meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
      )
        return;
    } catch (error) {
      if (!isTransientMetadataError(error)) throw error;
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new FestivalResolverError(
    'KAFKA_UNAVAILABLE',
    `topics ${topics.join(', ')} have no leader after ${timeoutMs} ms`,
    { cause: last },
  );
}
