import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { FestivalResolverError } from '../../src/errors.js';
import { connectMongo, redactUri } from '../../src/mongo/connect.js';
import { uniqueDbName } from '../helpers/names.js';
import { testServices } from '../helpers/services.js';

describe('connectMongo', () => {
  it('when the server answers, then ping succeeds and the database is the configured one', async () => {
    const database = uniqueDbName('connect');
    const config = loadConfig({ MONGODB_URI: testServices().mongoUri, MONGODB_DATABASE: database });
    const mongo = await connectMongo(config.mongo, { serverSelectionTimeoutMS: 5000 });
    onTestFinished(async () => {
      await mongo.db.dropDatabase().catch(() => undefined);
      await mongo.close();
    });
    await expect(mongo.ping()).resolves.toBeUndefined();
    expect(mongo.db.databaseName).toBe(database);
    await mongo.db.collection('probe').insertOne({ _id: 'x' as never, n: 1 });
    expect(await mongo.db.collection('probe').findOne({ n: 1 })).toMatchObject({ n: 1 });
  });

  it('when nothing listens at the URI, then connecting fails as MONGO_UNAVAILABLE within the selection timeout, without credentials in the message', async () => {
    const config = loadConfig({ MONGODB_URI: 'mongodb://user:s3cret@127.0.0.1:1/?directConnection=true' });
    const error: unknown = await connectMongo(config.mongo, { serverSelectionTimeoutMS: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FestivalResolverError);
    expect((error as FestivalResolverError).code).toBe('MONGO_UNAVAILABLE');
    expect((error as FestivalResolverError).retryable).toBe(true);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('when a URI holds credentials, then redactUri hides them', () => {
    expect(redactUri('mongodb+srv://u:p@cluster.example/db')).toBe(
      'mongodb+srv://[redacted]@cluster.example/db',
    );
    expect(redactUri('mongodb://127.0.0.1:27017')).toBe('mongodb://127.0.0.1:27017');
  });
});
