import type { Db } from 'mongodb';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { EnrichHook, ReviewDeps } from '../ops/review/review-actions.js';
import { MoviesRepository } from '../persistence/movies-repository.js';
import { MongoParkedNominations } from '../persistence/parked-nominations.js';
import { NominationsRepository } from '../persistence/nominations-repository.js';
import { ReviewQueueRepository } from '../persistence/review-queue-repository.js';
import { budgetsFromConfig, SpendLedger } from '../persistence/spend-ledger.js';
import type { ConsoleParkedDeps } from './parked-queue.js';
import { startConsole, type ConsoleServer } from './server.js';

export type { ConsoleServer } from './server.js';

/**
 * Starts the console on a database: the same repositories as `festival-resolver review`,
 * the spend ledger for the budgets, the enrichment hook that resolving asks for, and the
 * parking with what re-driving needs (the producer; inside `run`, the re-driver's view).
 */
export async function openConsole(
  config: Config,
  parts: {
    db: Db;
    logger: Logger;
    enrich?: EnrichHook;
    port?: number;
    parked?: Pick<ConsoleParkedDeps, 'republish' | 'outlook' | 'gauge'>;
  },
): Promise<ConsoleServer> {
  const review: ReviewDeps = {
    reviews: new ReviewQueueRepository(parts.db),
    movies: new MoviesRepository(parts.db),
    nominations: new NominationsRepository(parts.db),
    ...(parts.enrich === undefined ? {} : { enrich: parts.enrich }),
  };
  return startConsole(
    {
      db: parts.db,
      review,
      ledger: new SpendLedger(parts.db, budgetsFromConfig(config.sources)),
      parked: {
        ...parts.parked,
        parking: new MongoParkedNominations(parts.db),
        topic: config.kafka.topics.nominations,
        intervalMs: config.chain.retry.redriveIntervalMs,
      },
      logger: parts.logger,
    },
    {
      host: config.console.host,
      port: parts.port ?? config.console.port,
      ...(config.console.token === undefined ? {} : { token: config.console.token }),
    },
  );
}
