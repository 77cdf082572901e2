import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

const pinoLevel: Record<logLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.NOTHING]: 'error',
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Bridges kafkajs logs to a pino child logger. kafkajs passes its own objects (brokers,
 * stack traces…) in `log`; we keep only a few known scalar fields so that an outside
 * object never becomes the merge object.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, error, groupId, topic, broker, retryCount, retryTime } = log as Record<
        string,
        unknown
      >;
      const fields: Record<string, unknown> = { kafkaNamespace: namespace };
      for (const [k, v] of Object.entries({ error, groupId, topic, broker, retryCount, retryTime })) {
        if (typeof v === 'string' || typeof v === 'number') fields[k] = v;
      }
      logger[pinoLevel[level]](fields, typeof message === 'string' ? message : 'kafkajs');
    };
}

/** The kafkajs log level that lets through what the pino level would print. */
export function kafkaLogLevel(level: string): logLevel {
  switch (level) {
    case 'silent':
      return logLevel.NOTHING;
    case 'fatal':
    case 'error':
      return logLevel.ERROR;
    case 'warn':
      return logLevel.WARN;
    case 'debug':
    case 'trace':
      return logLevel.DEBUG;
    default:
      // kafkajs INFO is chatty (every group join); WARN keeps the service log readable.
      return logLevel.WARN;
  }
}

/** Options to build a Kafka client; `logger` should already be a child for the component. */
export interface KafkaClientOptions {
  logger: Logger;
  /** Overrides the level derived from the logger's own level. */
  logLevel?: logLevel;
  /** Retry policy overrides (tests use fewer retries). */
  retry?: KafkaConfig['retry'];
}

/**
 * Builds a kafkajs client. Retries are bounded (about 30 s in total with the defaults) so a
 * broker that is gone surfaces as an error the caller can act on instead of a silent hang.
 */
export function createKafka(config: Config['kafka'], options: KafkaClientOptions): Kafka {
  const logger = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    retry: {
      initialRetryTime: 300,
      maxRetryTime: 10_000,
      retries: 6,
      factor: 0.2,
      multiplier: 2,
      ...options.retry,
    },
    logLevel: options.logLevel ?? kafkaLogLevel(options.logger.level),
    logCreator: kafkaLogCreator(logger),
  });
}
