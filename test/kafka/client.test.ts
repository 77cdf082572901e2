import { Writable } from 'node:stream';
import { logLevel } from 'kafkajs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createKafka, kafkaLogCreator, kafkaLogLevel } from '../../src/kafka/client.js';
import { createLogger } from '../../src/logger.js';
import { testServices } from '../helpers/services.js';

function capturingLogger(level = 'debug'): {
  logger: ReturnType<typeof createLogger>;
  lines: () => Record<string, unknown>[];
} {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger(level, sink);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('kafka client', () => {
  it('when kafkajs logs an error with its own objects, then one pino line keeps the message and scalar fields only', () => {
    const { logger, lines } = capturingLogger();
    const log = kafkaLogCreator(logger.child({ component: 'kafkajs' }))(logLevel.ERROR);
    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        message: 'Connection timeout',
        error: 'connect ETIMEDOUT',
        nested: { deep: true },
        broker: 'b:9092',
        timestamp: 'x',
        retryCount: 2,
        logger: 'kafkajs',
      },
    });
    const [line] = lines();
    expect(line).toMatchObject({
      level: 50,
      msg: 'Connection timeout',
      kafkaNamespace: 'Connection',
      broker: 'b:9092',
      retryCount: 2,
      component: 'kafkajs',
    });
    expect(line).toMatchObject({ error: 'connect ETIMEDOUT' });
    expect(line).not.toHaveProperty('nested');
  });

  it('when the pino level is given, then kafkajs gets the matching level and info is quietened to warn', () => {
    expect(kafkaLogLevel('silent')).toBe(logLevel.NOTHING);
    expect(kafkaLogLevel('error')).toBe(logLevel.ERROR);
    expect(kafkaLogLevel('info')).toBe(logLevel.WARN);
    expect(kafkaLogLevel('debug')).toBe(logLevel.DEBUG);
  });

  it('when the client is built from the config, then it reaches the real broker', async () => {
    const config = loadConfig({
      KAFKA_BROKERS: testServices().kafkaBrokers.join(','),
      KAFKA_CONNECTION_TIMEOUT_MS: '3000',
    });
    const { logger } = capturingLogger('error');
    const admin = createKafka(config.kafka, { logger }).admin();
    await admin.connect();
    onTestFinished(() => admin.disconnect());
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.length).toBeGreaterThan(0);
  });

  it('when no broker listens, then connecting fails within the bounded retries instead of hanging', async () => {
    const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:1', KAFKA_CONNECTION_TIMEOUT_MS: '500' });
    const { logger } = capturingLogger('silent');
    const admin = createKafka(config.kafka, {
      logger,
      retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
    }).admin();
    await expect(admin.connect()).rejects.toThrow(/ECONNREFUSED|Connection error/);
  });
});
