import { MongoClient, type Db } from 'mongodb';
import { onTestFinished } from 'vitest';
import { uniqueDbName } from './names.js';
import { testServices } from './services.js';

/** A database of the test's own on the real MongoDB-wire server, dropped when the test ends. */
export async function testDb(prefix = 'test'): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(testServices().mongoUri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const db = client.db(uniqueDbName(prefix));
  onTestFinished(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });
  return { client, db };
}
