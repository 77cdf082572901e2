import { MongoClient, type Db } from 'mongodb';
import { onTestFinished } from 'vitest';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { testDb } from '../helpers/mongo.js';
import { testServices } from '../helpers/services.js';

/**
 * A database of the test's own with the service's indexes, seen through `instances`
 * separate clients (separate connection pools, as separate service instances would).
 */
export async function sharedStore(instances: number, prefix: string): Promise<{ db: Db; views: Db[] }> {
  const { db } = await testDb(prefix);
  await ensureIndexes(db);
  const views: Db[] = [];
  for (let i = 0; i < instances; i += 1) {
    const client = await new MongoClient(testServices().mongoUri, { maxPoolSize: 20 }).connect();
    onTestFinished(() => client.close());
    views.push(client.db(db.databaseName));
  }
  return { db, views };
}

/** `count` calls of `call`, spread round-robin over the views, all started at once. */
export function race<T>(views: Db[], count: number, call: (db: Db, i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => call(views[i % views.length]!, i)));
}
