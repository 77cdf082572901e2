import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Nomination } from '../../src/domain/nomination.js';
import { AvroCodec, createSchemaRegistry } from '../../src/kafka/avro-codec.js';
import { nominationKey } from '../../src/kafka/message-key.js';
import { createLogger } from '../../src/logger.js';
import { backfill } from '../../src/ops/backfill/backfill.js';
import { arrayElementLines, loadCsvLineup, loadJsonLineup } from '../../src/ops/backfill/load-lineup.js';
import {
  adminForTest,
  consumeN,
  deleteSubject,
  kafkaForTest,
  testTopic,
  testTopicNames,
} from '../helpers/kafka.js';
import { cannesLineup, dataDir } from '../helpers/lineup.js';
import { testServices } from '../helpers/services.js';
import { runCli } from './run-cli.js';

const csvPath = `${dataDir()}/cannes-competition.csv`;
const csvOptions = {
  festival: 'cannes',
  category: 'competition',
  withoutImdbShare: 0,
  producedAt: 1_700_000_000_000,
};

function nomination(i: number, overrides: Partial<Nomination> = {}): Nomination {
  return {
    nominationId: `cannes_2025:competition:film-${i}`,
    festival: 'cannes_2025',
    editionYear: 2025,
    category: 'competition',
    film: {
      imdbId: `tt${String(1000000 + i)}`,
      title: `Film ${i}`,
      originalTitle: null,
      year: 2025,
      directors: ['Someone'],
    },
    people: [],
    won: false,
    critical: false,
    producedAt: 1_700_000_000_000 + i,
    ...overrides,
  };
}

describe('lineup files for the backfill', () => {
  it('when the Cannes CSV is loaded, then every row becomes a nomination and a share of films can lose their IMDb ID stably', async () => {
    const text = await readFile(csvPath, 'utf8');
    const rows = cannesLineup().length;
    const all = loadCsvLineup(text, csvOptions);
    expect(all.nominations).toHaveLength(rows);
    expect(all.nominations.every((n) => n.film.imdbId !== null)).toBe(true);
    const half = loadCsvLineup(text, { ...csvOptions, withoutImdbShare: 0.5 });
    const without = half.nominations.filter((n) => n.film.imdbId === null).length;
    expect(without).toBeGreaterThan(rows * 0.4);
    expect(without).toBeLessThan(rows * 0.6);
    expect(loadCsvLineup(text, { ...csvOptions, withoutImdbShare: 0.5 }).nominations).toEqual(
      half.nominations,
    );
  });

  it('when a JSON lineup has invalid rows, then they are reported with their line and the rest is kept', () => {
    const text = `[\n  ${JSON.stringify(nomination(1))},\n  ${JSON.stringify(nomination(2, { festival: '$where' }))},\n  {\n    "nominationId": "x"\n  },\n  ${JSON.stringify(nomination(3))}\n]\n`;
    expect(arrayElementLines(text)).toEqual([2, 3, 4, 7]);
    const loaded = loadJsonLineup(text);
    expect(loaded.nominations.map((n) => n.nominationId)).toEqual([
      nomination(1).nominationId,
      nomination(3).nominationId,
    ]);
    expect(loaded.invalid.map((r) => r.line)).toEqual([3, 4]);
    expect(loaded.invalid[0]?.reason).toMatch(/festival/);
    expect(() => loadJsonLineup('{"not": "an array"}')).toThrow(/array/);
  });
});

describe('backfill to Kafka', () => {
  it('when N nominations are backfilled, then N messages keyed by film decode back to the same nominations', async () => {
    const kafka = kafkaForTest();
    const admin = await adminForTest(kafka);
    const topics = testTopicNames('backfill');
    const topic = await testTopic(admin, 'backfill');
    const config = loadConfig({ SCHEMA_REGISTRY_URL: testServices().schemaRegistryUrl });
    const codec = new AvroCodec(createSchemaRegistry(config.schemaRegistry), createLogger('silent'));
    onTestFinished(() => deleteSubject(`${topic}-value`));
    await codec.registerAll({ ...topics, nominations: topic });
    const { nominations } = loadCsvLineup(await readFile(csvPath, 'utf8'), csvOptions);
    const chosen = nominations.slice(0, 30);
    const progress: number[] = [];
    const summary = await backfill({
      kafka,
      codec,
      topic,
      nominations: chosen,
      batchSize: 8,
      onProgress: (sent) => progress.push(sent),
    });
    expect(summary).toMatchObject({ topic, sent: 30 });
    expect(progress).toEqual([8, 16, 24, 30]);

    const consumed = await consumeN(kafka, topic, 30);
    const decoded = await Promise.all(
      consumed.map(async (m) => ({
        key: m.key?.toString(),
        value: await codec.decode('nomination', m.value),
      })),
    );
    expect(decoded.map((d) => d.value).sort((a, b) => a.nominationId.localeCompare(b.nominationId))).toEqual(
      [...chosen].sort((a, b) => a.nominationId.localeCompare(b.nominationId)),
    );
    for (const d of decoded) expect(d.key).toBe(nominationKey(d.value));
  });

  it('when the backfill CLI gets a JSON file with one bad row, then it sends the good rows, names the bad line and prints a summary', async () => {
    const kafka = kafkaForTest();
    const admin = await adminForTest(kafka);
    const topics = testTopicNames('backfill-cli');
    onTestFinished(async () => {
      await admin.deleteTopics({ topics: Object.values(topics), timeout: 10_000 }).catch(() => undefined);
    });
    const dir = await mkdtemp(join(tmpdir(), 'backfill-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'lineup.json');
    await writeFile(
      file,
      JSON.stringify([nomination(1), nomination(2, { editionYear: 0 }), nomination(3)], null, 2),
    );
    const services = testServices();
    const env = {
      KAFKA_BROKERS: services.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: services.schemaRegistryUrl,
      TOPIC_NOMINATIONS: topics.nominations,
      TOPIC_RESOLVED: topics.resolved,
      TOPIC_STUB: topics.stub,
      TOPIC_RETRY: topics.retry,
      TOPIC_DLQ: topics.dlq,
      TOPIC_PARTITIONS: '2',
    };

    const result = await runCli(['backfill', '--file', file], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/skipped line \d+ \(element 1\): .*editionYear/);
    expect(result.stdout).toMatch(
      new RegExp(`sent 2, skipped invalid 1, topic ${topics.nominations.replaceAll('.', '\\.')}`),
    );
    const consumed = await consumeN(kafka, topics.nominations, 2);
    expect(consumed.map((m) => m.key?.toString()).sort()).toEqual(['tt1000001', 'tt1000003']);
  }, 90_000);
});
