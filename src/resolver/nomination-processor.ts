import { filmKey } from '../domain/film-key.js';
import { movieResolvedEvent, type MovieResolvedEvent, type MovieStubEvent } from '../domain/movie-events.js';
import type { SourceName } from '../domain/movie.js';
import type { Nomination } from '../domain/nomination.js';
import type { HealthState } from '../http/health-state.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import type { LookupQuery } from '../sources/source.js';
import type { ChainResult, ResolutionChain } from './chain.js';
import { announcedState, type ResolutionStore, type StoredMovie } from './resolution-store.js';

/** What happens to one input message. */
export type ProcessResult =
  | { kind: 'done'; outcome: 'resolved' | 'stub'; movieKey: string }
  | { kind: 'retry'; reason: string; delayMs: number; source: SourceName }
  | { kind: 'dead_letter'; reason: string; code: string }
  | { kind: 'pause'; reason: string };

/** Publishes the output events; resolves once Kafka has acknowledged them. */
export interface EventPublisher {
  resolved(key: string, event: MovieResolvedEvent): Promise<void>;
  stub(key: string, event: MovieStubEvent): Promise<void>;
}

export interface ProcessorDeps {
  /** Decodes and validates the bytes; what can never be processed comes back with its reason. */
  readNomination(value: Buffer | null): Promise<{ ok: true; nomination: Nomination } | { ok: false; reason: string; code: string }>;
  chain: ResolutionChain;
  store: ResolutionStore;
  events: EventPublisher;
  metrics?: ResolverMetrics;
  health?: HealthState;
  logger: Logger;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs?: number };
  now?: () => Date;
}

export interface MessageContext {
  attempt: number;
  origin: string;
}

function toQuery(nomination: Nomination): LookupQuery {
  const { film } = nomination;
  return {
    ...(film.imdbId === null ? {} : { imdbId: film.imdbId }),
    title: film.title,
    ...(film.originalTitle === null ? {} : { originalTitle: film.originalTitle }),
    ...(film.year === null ? {} : { year: film.year }),
    directors: film.directors,
  };
}

/** Grows 1×, 2×, 4× … the base delay, capped, with ±20 % jitter; Retry-After wins when longer. */
export function retryDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, retryAfterMs?: number): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exponential * (0.8 + Math.random() * 0.4));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * The resolver's work for one message: decode, validate, resolve through the chain, write
 * the movie, the nomination, the lookup metrics and the review item, then publish the event.
 * Only the consumer entry point turns the result into a commit, a retry or a dead letter.
 */
export class NominationProcessor {
  private readonly log: Logger;

  constructor(private readonly deps: ProcessorDeps) {
    this.log = deps.logger.child({ component: 'processor' });
  }

  /** A poisoned message comes back as dead_letter; the consumer owns the retry and dead-letter metrics. */
  async process(value: Buffer | null, context: MessageContext): Promise<ProcessResult> {
    const input = await this.deps.readNomination(value);
    if (!input.ok) return { kind: 'dead_letter', reason: input.reason, code: input.code };
    const nomination = input.nomination;

    const result = await this.deps.chain.resolve(toQuery(nomination), { critical: nomination.critical, attempt: context.attempt });
    this.countSkips(result);
    if (result.kind === 'retry' || result.kind === 'dead_letter' || result.kind === 'auth_failed') await this.deps.store.recordAttempts(nomination, result.steps);
    switch (result.kind) {
      case 'retry': {
        const delayMs = retryDelayMs(context.attempt, this.deps.retry.baseDelayMs, this.deps.retry.maxDelayMs ?? 60_000, result.retryAfterMs);
        this.log.warn({ nominationId: nomination.nominationId, source: result.source, reason: result.reason, attempt: context.attempt, delayMs }, 'transient failure: nomination goes to the retry topic');
        return { kind: 'retry', reason: result.reason, delayMs, source: result.source };
      }
      case 'dead_letter':
        return { kind: 'dead_letter', reason: `${result.source}: ${result.reason}`, code: 'retries_exhausted' };
      case 'auth_failed': {
        const reason = `${result.source} rejected the API key (${result.reason}); fix its key variable and restart`;
        this.deps.metrics?.upstreamAuthFailures.inc({ source: result.source });
        this.deps.health?.setProblem(`source:${result.source}`, reason);
        this.log.error({ source: result.source, nominationId: nomination.nominationId }, 'upstream auth failure: consumption paused');
        return { kind: 'pause', reason };
      }
      case 'resolved':
      case 'stub':
        return this.persist(nomination, result, context);
    }
  }

  private async persist(nomination: Nomination, result: Extract<ChainResult, { kind: 'resolved' | 'stub' }>, context: MessageContext): Promise<ProcessResult> {
    const now = this.deps.now?.() ?? new Date();
    const resolvedImdbId = result.kind === 'resolved' ? result.movie.externalIds.imdbId : undefined;
    const movieKey = filmKey({ imdbId: nomination.film.imdbId ?? resolvedImdbId ?? null, title: nomination.film.title, year: nomination.film.year });
    const stored = await this.deps.store.save(
      {
        nomination,
        movieKey,
        ...(result.kind === 'resolved'
          ? { resolved: { source: result.source, importType: result.importType, movie: result.movie, confidence: result.confidence, strategy: result.strategy } }
          : {}),
        ...(result.review === undefined ? {} : { review: result.review }),
        steps: result.steps,
        origin: context.origin,
      },
      now,
    );
    if (stored.needsEvent) await this.publish(nomination, stored, result, now);

    const tier = result.kind === 'resolved' ? result.source : 'stub';
    this.deps.metrics?.resolutions.inc({ import_type: stored.document.importType, tier, festival: nomination.festival });
    this.deps.metrics?.messagesProcessed.inc({ outcome: result.kind });
    this.log.info({ nominationId: nomination.nominationId, movieKey, importType: stored.document.importType, tier, created: stored.created }, 'nomination recorded');
    return { kind: 'done', outcome: result.kind, movieKey };
  }

  private async publish(nomination: Nomination, stored: StoredMovie, result: ChainResult, now: Date): Promise<void> {
    const doc = stored.document;
    if (doc.importType === 'stub') {
      await this.deps.events.stub(doc.key, {
        movieKey: doc.key,
        imdbId: doc.imdbId ?? null,
        title: doc.title,
        year: doc.year ?? null,
        reason: result.kind === 'stub' ? result.review.reason : 'all_sources_failed',
        sourcesTried: [...new Set(result.steps.filter((s) => s.attempts.length > 0 || s.fromCache).map((s) => s.source))],
        nominationIds: stored.nominationIds,
        festival: nomination.festival,
        createdAt: now.getTime(),
      });
    } else {
      await this.deps.events.resolved(doc.key, movieResolvedEvent(doc, { nominationIds: stored.nominationIds, festival: nomination.festival, at: now, upgradedFromStub: false }));
    }
    await this.deps.store.markEventPublished(doc.key, announcedState(doc));
  }

  private countSkips(result: ChainResult): void {
    for (const step of result.steps) {
      const reason = step.result === 'skipped' ? step.reasonForFallback : step.result === 'disabled' || step.result === 'critical_only' || step.result === 'not_configured' ? step.result : undefined;
      if (reason) this.deps.metrics?.tierSkipped.inc({ source: step.source, reason });
    }
  }
}
