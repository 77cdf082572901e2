/**
 * npm run bench:store — what the store does with the service's access patterns, on the
 * MongoDB-wire server of MONGODB_URI (default: the local stack's), each row beside
 * a naive baseline measured in the same run on the same server:
 * - reads: a collection with the service's indexes vs the same documents without them;
 * - writes: the atomic operation vs a read-modify-write of the same document;
 * - rate limiting: rate-limiter-flexible's RateLimiterMongo vs a read-then-write counter.
 * 5,000 documents of about 1.5 kB; concurrent rows race from three clients.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import { RateLimiterMongo } from 'rate-limiter-flexible';
import { loadStackConfig } from '../src/stack/config.js';
import { planSummary } from '../src/mongo/explain.js';
import { SharedRateLimiter } from '../src/persistence/rate-limiter.js';
import { SpendLedger } from '../src/persistence/spend-ledger.js';

const documents = 5_000;
const clientsCount = 3;

const env = process.env;
const uri = env.MONGODB_URI ?? `mongodb://127.0.0.1:${loadStackConfig(env).ports.mongo}`;

interface Counter {
  _id: string;
  v: number;
}

interface Row {
  what: string;
  store: string;
  baseline: string;
  baselineIs: string;
}

async function main(): Promise<void> {
  const clients = await Promise.all(
    Array.from({ length: clientsCount }, () => new MongoClient(uri, { maxPoolSize: 50 }).connect()),
  );
  const name = `bench_store_${Date.now()}`;
  const views = clients.map((c) => c.db(name));
  const db = views[0]!;
  const info = await db.admin().command({ buildInfo: 1 });
  const ferret = (info.ferretdb as { version?: string } | undefined)?.version;
  const server = ferret
    ? `FerretDB ${ferret} (MongoDB ${String(info.version)} wire)`
    : `MongoDB ${String(info.version)}`;
  const rows: Row[] = [];
  try {
    process.stdout.write(
      `bench:store on ${server} at ${uri}, database ${name}: loading ${documents} documents…\n`,
    );
    await load(db);

    const key = (i: number): string => `tt${String(1_000_000 + i)}`;
    const explainOf = async (collection: string): Promise<string> =>
      planSummary(
        await db
          .collection(collection)
          .find({ movieKey: key(4_321) })
          .explain(),
      );
    rows.push({
      what: '`explain` of a find on an indexed field',
      store: await explainOf('indexed'),
      baseline: await explainOf('plain'),
      baselineIs: 'no secondary index',
    });

    const finds = async (collection: string): Promise<string> =>
      ms(async () => {
        for (let i = 0; i < 50; i += 1)
          await db.collection(collection).findOne({ movieKey: key((i * 97) % documents) });
      });
    rows.push({
      what: '50 finds by `movieKey` (median of 3)',
      store: await median(() => finds('indexed')),
      baseline: await median(() => finds('plain')),
      baselineIs: 'no secondary index',
    });

    const count = async (collection: string): Promise<string> => {
      let n = 0;
      const took = await ms(async () => {
        n = await db
          .collection(collection)
          .countDocuments({ festival: 'cannes', year: { $gte: 2010, $lte: 2015 } });
      });
      return `${took} (${n} docs)`;
    };
    rows.push({
      what: 'count on festival + year range (median of 3)',
      store: await median(() => count('indexed')),
      baseline: await median(() => count('plain')),
      baselineIs: 'no secondary index',
    });

    rows.push({
      what: '100 concurrent `updateOne $inc` applied',
      store: String(
        await counterRace(
          views,
          'inc',
          async (c, id) => void (await c.updateOne({ _id: id }, { $inc: { v: 1 } })),
        ),
      ),
      baseline: String(
        await counterRace(views, 'rmw', async (c, id) => {
          const doc = await c.findOne({ _id: id });
          await c.updateOne({ _id: id }, { $set: { v: Number(doc?.v ?? 0) + 1 } });
        }),
      ),
      baselineIs: 'read, then `$set` v+1',
    });
    rows.push({
      what: '100 concurrent `findOneAndUpdate $inc` applied',
      store: String(
        await counterRace(
          views,
          'fam',
          async (c, id) =>
            void (await c.findOneAndUpdate({ _id: id }, { $inc: { v: 1 } }, { returnDocument: 'after' })),
        ),
      ),
      baseline: String(
        await counterRace(views, 'replace', async (c, id) => {
          const doc = await c.findOne({ _id: id });
          await c.replaceOne({ _id: id }, { v: Number(doc?.v ?? 0) + 1 });
        }),
      ),
      baselineIs: 'read, then `replaceOne` v+1',
    });

    rows.push({
      what: 'rate-limiter-flexible `RateLimiterMongo`, 90 racing requests for 10 points: admitted',
      store: await rateLimiterMongo(views),
      baseline: String(await naiveLimiter(views)),
      baselineIs: 'read the count, then `$set` count+1 if below 10',
    });
    rows.push({
      what: "the service's `SharedRateLimiter`, 90 racing requests for 10 per second: admitted",
      store: String(await sharedLimiter(views)),
      baseline: String(await naiveLimiter(views)),
      baselineIs: 'as above',
    });
    rows.push({
      what: "the service's `SpendLedger`, 60 racing reservations for a budget of 10 calls: granted",
      store: String(await ledgerRace(views)),
      baseline: String(await naiveLedger(views)),
      baselineIs: 'read the spend, then `$set` spend+cost if within budget',
    });
    rows.push({
      what: 'multi-document transactions',
      store: await transactions(clients[0]!, name),
      baseline: '—',
      baselineIs: '',
    });
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await Promise.all(clients.map((c) => c.close()));
  }

  process.stdout.write(
    `\n| | ${server} | naive baseline, same server | the baseline is |\n|---|---|---|---|\n`,
  );
  for (const r of rows)
    process.stdout.write(`| ${r.what} | ${r.store} | ${r.baseline} | ${r.baselineIs} |\n`);
}

/** 5,000 movie-like documents of about 1.5 kB, twice: with the service's kind of indexes and without. */
async function load(db: Db): Promise<void> {
  const festivals = ['cannes', 'berlinale', 'venice', 'sundance', 'tiff'];
  const docs = Array.from({ length: documents }, (_, i) => ({
    movieKey: `tt${String(1_000_000 + i)}`,
    festival: festivals[i % festivals.length],
    year: 1990 + (i % 35),
    title: `Film ${i}`,
    padding: randomBytes(700).toString('hex'),
  }));
  // Indexes first, as the service creates them at start-up (ensureIndexes).
  await db.collection('indexed').createIndex({ movieKey: 1 }, { name: 'movieKey' });
  await db.collection('indexed').createIndex({ festival: 1, year: 1 }, { name: 'festival_year' });
  for (const collection of ['indexed', 'plain']) {
    for (let i = 0; i < docs.length; i += 1_000) {
      await db.collection(collection).insertMany(docs.slice(i, i + 1_000).map((d) => ({ ...d })));
    }
    // Warm both alike: the first queries of a collection also pay for planning and caches.
    for (let i = 0; i < 5; i += 1)
      await db.collection(collection).findOne({ movieKey: `tt${String(1_000_000 + i)}` });
  }
}

async function ms(fn: () => Promise<void>): Promise<string> {
  const started = performance.now();
  await fn();
  return `${Math.round(performance.now() - started)} ms`;
}

/** The median of three timings, so that one slow moment of a busy machine does not decide a row. */
async function median(fn: () => Promise<string>): Promise<string> {
  const runs = [await fn(), await fn(), await fn()];
  return runs.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))[1]!;
}

/** 100 increments of one counter from three clients at once; the value it ends with. */
async function counterRace(
  views: Db[],
  id: string,
  step: (c: Collection<Counter>, id: string) => Promise<void>,
): Promise<number> {
  await views[0]!.collection<Counter>('counters').insertOne({ _id: id, v: 0 });
  await Promise.all(
    Array.from({ length: 100 }, (_, i) => step(views[i % views.length]!.collection<Counter>('counters'), id)),
  );
  const doc = await views[0]!.collection<Counter>('counters').findOne({ _id: id });
  return Number(doc?.v ?? 0);
}

async function rateLimiterMongo(views: Db[]): Promise<string> {
  const limiters = views.map(
    (db) =>
      new RateLimiterMongo({
        storeClient: db,
        tableName: 'rlflx',
        keyPrefix: 'bench',
        points: 10,
        duration: 60,
        disableIndexesCreation: true,
      }),
  );
  await limiters[0]!.createIndexes();
  const results = await Promise.allSettled(
    Array.from({ length: 90 }, (_, i) => limiters[i % limiters.length]!.consume('zyte')),
  );
  const admitted = results.filter((r) => r.status === 'fulfilled').length;
  const errors = results.filter((r) => r.status === 'rejected' && r.reason instanceof Error).length;
  return errors > 0 ? `${admitted} (${errors} errors)` : String(admitted);
}

async function naiveLimiter(views: Db[]): Promise<number> {
  const id = `naive-${Math.random()}`;
  await views[0]!.collection('naive_limits').insertOne({ _id: id as never, count: 0 });
  const results = await Promise.all(
    Array.from({ length: 90 }, async (_, i) => {
      const c = views[i % views.length]!.collection('naive_limits');
      const doc: Document | null = await c.findOne({ _id: id as never });
      if (Number(doc?.count ?? 0) >= 10) return false;
      await c.updateOne({ _id: id as never }, { $set: { count: Number(doc?.count ?? 0) + 1 } });
      return true;
    }),
  );
  return results.filter(Boolean).length;
}

async function sharedLimiter(views: Db[]): Promise<number> {
  const frozen = Date.now() - (Date.now() % 1000) + 10;
  const limiters = views.map(
    (db) => new SharedRateLimiter(db, { perSecond: { imdb: 10 }, maxWaitMs: 0, clock: () => frozen }),
  );
  const permits = await Promise.all(
    Array.from({ length: 90 }, (_, i) => limiters[i % limiters.length]!.acquire('imdb')),
  );
  return permits.filter((p) => p.acquired).length;
}

async function ledgerRace(views: Db[]): Promise<number> {
  const ledgers = views.map((db) => new SpendLedger(db, { imdb: { costUsd: 0.02, dailyBudgetUsd: 0.2 } }));
  const results = await Promise.all(
    Array.from({ length: 60 }, (_, i) => ledgers[i % ledgers.length]!.reserve('imdb')),
  );
  return results.filter((r) => r.ok).length;
}

async function naiveLedger(views: Db[]): Promise<number> {
  const id = `naive-ledger-${Math.random()}`;
  await views[0]!.collection('naive_ledger').insertOne({ _id: id as never, spent: 0 });
  const results = await Promise.all(
    Array.from({ length: 60 }, async (_, i) => {
      const c = views[i % views.length]!.collection('naive_ledger');
      const spent = Number((await c.findOne({ _id: id as never }))?.spent ?? 0);
      if (spent + 20_000 > 200_000) return false;
      await c.updateOne({ _id: id as never }, { $set: { spent: spent + 20_000 } });
      return true;
    }),
  );
  return results.filter(Boolean).length;
}

async function transactions(client: MongoClient, name: string): Promise<string> {
  const session = client.startSession();
  try {
    await session.withTransaction(async () => {
      await client.db(name).collection('tx').insertOne({ a: 1 }, { session });
      await client.db(name).collection('tx2').insertOne({ b: 1 }, { session });
    });
    return 'yes';
  } catch (error) {
    return `no (${error instanceof Error ? error.message.split('\n')[0]!.slice(0, 60) : String(error)})`;
  } finally {
    await session.endSession();
  }
}

await main();
