import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createKafka } from '../../src/kafka/client.js';
import { ensureTopics, serviceTopics } from '../../src/kafka/topics.js';
import { createLogger } from '../../src/logger.js';
import { uniqueName } from '../helpers/names.js';
import { testServices } from '../helpers/services.js';
import { adminForTest } from '../helpers/kafka.js';

describe('ensureTopics', () => {
  it('when the topics are missing, then they are created with the configured partitions, and a second call creates nothing', async () => {
    const p = uniqueName('topics');
    const config = loadConfig({
      KAFKA_BROKERS: testServices().kafkaBrokers.join(','),
      TOPIC_PARTITIONS: '2',
      TOPIC_NOMINATIONS: `${p}.nominations`,
      TOPIC_RESOLVED: `${p}.resolved`,
      TOPIC_STUB: `${p}.stub`,
      TOPIC_RETRY: `${p}.retry`,
      TOPIC_DLQ: `${p}.dlq`,
    });
    const logger = createLogger('silent');
    const kafka = createKafka(config.kafka, { logger });
    const admin = await adminForTest(kafka);
    const names = Object.values(config.kafka.topics);
    onTestFinished(() => admin.deleteTopics({ topics: names, timeout: 5000 }).catch(() => undefined));

    const created = await ensureTopics(kafka, serviceTopics(config.kafka), logger);
    expect(created.sort()).toEqual([...names].sort());

    const metadata = await admin.fetchTopicMetadata({ topics: names });
    for (const t of metadata.topics) expect(t.partitions).toHaveLength(2);
    const [dlq] = (
      await admin.describeConfigs({
        resources: [{ type: 2, name: config.kafka.topics.dlq, configNames: ['retention.ms'] }],
        includeSynonyms: false,
      })
    ).resources;
    expect(dlq?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue).toBe(
      String(30 * 24 * 3600 * 1000),
    );

    expect(await ensureTopics(kafka, serviceTopics(config.kafka), logger)).toEqual([]);
  });
});
