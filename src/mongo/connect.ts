import { MongoClient, type Db } from 'mongodb';
import type { Config } from '../config.js';
import { FestivalResolverError } from '../errors.js';

/** A connected MongoDB client and the service database. */
export interface MongoConnection {
  client: MongoClient;
  db: Db;
  /** Answers the `ping` command; throws MONGO_UNAVAILABLE when the server does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Options of the connection; the defaults suit the service, tests shorten them. */
export interface MongoConnectOptions {
  serverSelectionTimeoutMS?: number;
  appName?: string;
}

function unavailable(message: string, error: unknown): FestivalResolverError {
  return new FestivalResolverError(
    'MONGO_UNAVAILABLE',
    `${message}: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

/**
 * Connects to MongoDB (or a MongoDB-compatible server) and pings it, so a wrong URI fails at start-up within
 * serverSelectionTimeoutMS instead of on the first message.
 */
export async function connectMongo(
  config: Config['mongo'],
  options: MongoConnectOptions = {},
): Promise<MongoConnection> {
  const client = new MongoClient(config.uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    appName: options.appName ?? 'festival-resolver',
  });
  const db = client.db(config.database);
  const ping = async (): Promise<void> => {
    try {
      await db.command({ ping: 1 });
    } catch (error) {
      throw unavailable(`MongoDB at ${redactUri(config.uri)} does not answer ping`, error);
    }
  };
  try {
    await client.connect();
    await ping();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error instanceof FestivalResolverError
      ? error
      : unavailable(`cannot connect to MongoDB at ${redactUri(config.uri)}`, error);
  }
  return { client, db, ping, close: () => client.close() };
}

/** The URI without credentials, for messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//[redacted]@');
}
