import pino from 'pino';
import type { Config } from '../config.js';
import { createKafka } from '../kafka/client.js';
import { createLogger, type Logger } from '../logger.js';
import { connectMongo, type MongoConnection } from '../mongo/connect.js';

/**
 * Clients for the one-shot ops commands. Logs go to stderr at warn so that stdout holds
 * only the table or the JSON the operator asked for.
 */
export function opsLogger(config: Config): Logger {
  const level = config.logLevel === 'info' ? 'warn' : config.logLevel;
  return createLogger(level, pino.destination(2));
}

export function opsKafka(config: Config, logger: Logger) {
  return createKafka({ ...config.kafka, clientId: `${config.kafka.clientId}-ops` }, { logger });
}

export async function opsMongo(config: Config): Promise<MongoConnection> {
  return connectMongo(config.mongo, { serverSelectionTimeoutMS: 5000, appName: 'festival-resolver-ops' });
}

/** Writes to stdout (tables, JSON). */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
