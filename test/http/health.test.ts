import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { FestivalResolverError } from '../../src/errors.js';
import { startDependencyMonitor } from '../../src/http/dependency-monitor.js';
import { HealthState } from '../../src/http/health-state.js';
import { startOpsServer } from '../../src/http/server.js';
import { createKafka } from '../../src/kafka/client.js';
import { createLogger } from '../../src/logger.js';
import { startService } from '../../src/main.js';
import { connectMongo } from '../../src/mongo/connect.js';
import { uniqueDbName, uniqueName } from '../helpers/names.js';
import { testServices } from '../helpers/services.js';

const logger = createLogger('silent');

async function opsFor(health: HealthState) {
  const ops = await startOpsServer({ port: 0, host: '127.0.0.1', registry: new Registry(), health, logger });
  onTestFinished(() => ops.close());
  const get = async (path: string) => {
    const res = await fetch(`${ops.url}${path}`);
    return { status: res.status, body: (await res.json()) as { problems: Record<string, string> } };
  };
  return get;
}

describe('health of the dependencies', () => {
  it('when Kafka does not answer and MongoDB does, then /healthz and /readyz answer 503 naming kafka and KAFKA_BROKERS, and recover once it answers', async () => {
    const health = new HealthState();
    health.setReady(true);
    const mongo = await connectMongo({ uri: testServices().mongoUri, database: uniqueDbName('health') });
    onTestFinished(() => mongo.close());
    // A broker address where nothing listens: the probe the service builds, on a dead address.
    const dead = createKafka(
      loadConfig({ KAFKA_BROKERS: '127.0.0.1:1', KAFKA_CONNECTION_TIMEOUT_MS: '300' }).kafka,
      { logger, retry: { retries: 0 } },
    ).admin();
    let kafkaUp = false;
    const monitor = startDependencyMonitor({
      health,
      logger,
      timeoutMs: 2000,
      checks: [
        {
          name: 'kafka',
          code: 'KAFKA_UNAVAILABLE',
          variable: 'KAFKA_BROKERS',
          probe: async () => (kafkaUp ? undefined : dead.connect()),
        },
        { name: 'mongodb', code: 'MONGO_UNAVAILABLE', variable: 'MONGODB_URI', probe: () => mongo.ping() },
      ],
    });
    onTestFinished(() => monitor.stop());
    const get = await opsFor(health);

    await monitor.runOnce();
    const healthz = await get('/healthz');
    expect(healthz.status).toBe(503);
    expect(Object.keys(healthz.body.problems)).toEqual(['kafka']);
    expect(healthz.body.problems.kafka).toMatch(
      /^KAFKA_UNAVAILABLE: kafka is unreachable .*check KAFKA_BROKERS$/,
    );
    expect((await get('/readyz')).status).toBe(503);

    kafkaUp = true;
    await monitor.runOnce();
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
  });

  it('when MongoDB stops answering, then /healthz names mongodb and MONGODB_URI', async () => {
    const health = new HealthState();
    health.setReady(true);
    const mongo = await connectMongo(
      { uri: testServices().mongoUri, database: uniqueDbName('health') },
      { serverSelectionTimeoutMS: 500 },
    );
    await mongo.close();
    const monitor = startDependencyMonitor({
      health,
      logger,
      timeoutMs: 1500,
      checks: [
        { name: 'mongodb', code: 'MONGO_UNAVAILABLE', variable: 'MONGODB_URI', probe: () => mongo.ping() },
      ],
    });
    onTestFinished(() => monitor.stop());
    const get = await opsFor(health);
    await monitor.runOnce();
    const healthz = await get('/healthz');
    expect(healthz.status).toBe(503);
    expect(healthz.body.problems.mongodb).toMatch(/^MONGO_UNAVAILABLE: .*check MONGODB_URI$/);
  });
});

describe('start-up errors', () => {
  const env = () => {
    const s = testServices();
    const prefix = uniqueName('startup');
    return {
      KAFKA_BROKERS: s.kafkaBrokers.join(','),
      MONGODB_URI: s.mongoUri,
      SCHEMA_REGISTRY_URL: s.schemaRegistryUrl,
      MONGODB_DATABASE: uniqueDbName('startup'),
      KAFKA_GROUP_ID: `${prefix}-group`,
      TOPIC_NOMINATIONS: `${prefix}.nominations`,
      HTTP_PORT: '0',
      KAFKA_CONNECTION_TIMEOUT_MS: '300',
      ENRICHMENT_ENABLED: 'false',
    };
  };

  it('when no broker listens at KAFKA_BROKERS, then start-up fails with KAFKA_UNAVAILABLE naming the variable', async () => {
    const config = loadConfig({ ...env(), KAFKA_BROKERS: '127.0.0.1:1' });
    // MongoDB comes first at start-up: drop the database the attempt created.
    onTestFinished(async () => {
      const mongo = await connectMongo(config.mongo);
      await mongo.db.dropDatabase();
      await mongo.close();
    });
    const error = await startService(config, {
      logger,
      registry: new Registry(),
      opsServer: false,
      housekeeping: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FestivalResolverError);
    expect((error as FestivalResolverError).code).toBe('KAFKA_UNAVAILABLE');
    expect((error as Error).message).toMatch(/127\.0\.0\.1:1.*check KAFKA_BROKERS/);
  }, 90_000);

  it('when nothing answers at MONGODB_URI, then start-up fails with MONGO_UNAVAILABLE naming the variable', async () => {
    const config = loadConfig({ ...env(), MONGODB_URI: 'mongodb://127.0.0.1:1' });
    const error = await startService(config, {
      logger,
      registry: new Registry(),
      opsServer: false,
      housekeeping: false,
    }).catch((e: unknown) => e);
    expect((error as FestivalResolverError).code).toBe('MONGO_UNAVAILABLE');
    expect((error as Error).message).toMatch(/check MONGODB_URI$/);
  }, 60_000);
});
