import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from 'mongodb';
import type { Logger } from '../logger.js';
import type { ReviewDeps } from '../ops/review/review-actions.js';
import type { SpendLedger } from '../persistence/spend-ledger.js';
import type { ConsoleAuth } from './auth.js';
import type { ConsoleParkedDeps } from './parked-queue.js';
import type { PageContext } from './views/layout.js';

/** What the console reads and acts through; the review actions are the CLI's. */
export interface ConsoleDeps {
  db: Db;
  review: ReviewDeps;
  ledger: SpendLedger;
  /** Parked nominations (the "parked" section of the review queue). */
  parked?: ConsoleParkedDeps;
  logger: Logger;
  now?: () => Date;
}

/** What every route gets. */
export interface RouteContext {
  deps: ConsoleDeps;
  auth: ConsoleAuth;
  now(): Date;
  page(request: FastifyRequest, reply: FastifyReply, section: PageContext['section']): PageContext;
}
