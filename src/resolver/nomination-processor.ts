import { filmKey } from '../domain/film-key.js';
import type { SourceName } from '../domain/movie.js';
import type { Nomination } from '../domain/nomination.js';
import type { NominationStanding } from '../domain/nomination-identity.js';
import type { HealthState } from '../http/health-state.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import type { LookupQuery } from '../sources/source.js';
import type { Config } from '../config.js';
import type { Disposition } from '../consumer/disposition.js';
import { backoffDelayMs } from '../backoff.js';
import type { ChainResult, ResolutionChain } from './chain.js';
import type { ParkedGauge } from './parked-gauge.js';
import type { EventPublisher, ParkingPort } from './ports.js';
import { MovieAnnouncer } from './movie-announcer.js';
import type { ResolutionStore } from './resolution-store.js';

/**
 * What happens to one input message: the consumer's Disposition, the one outcome type from
 * the chain to the consumer entry point (which carries it out: commit, retry topic, dead
 * letter, pause).
 */
export type ProcessResult = Disposition;

/** Publishes the output events; resolves once Kafka has acknowledged them. */
export interface ProcessorDeps {
  /** Decodes and validates the bytes; what can never be processed comes back with its reason. */
  readNomination(
    value: Buffer | null,
  ): Promise<{ ok: true; nomination: Nomination } | { ok: false; disposition: Disposition }>;
  chain: ResolutionChain;
  store: ResolutionStore;
  events: EventPublisher;
  metrics?: ResolverMetrics;
  health?: HealthState;
  logger: Logger;
  retry: Config['chain']['retry'];
  /** Where a nomination whose transient failures outlived the horizon is kept (policy `park`). */
  parking?: ParkingPort;
  /** Refreshed after each park, so the parked-nominations gauge follows the store. */
  parkedGauge?: ParkedGauge;
  /** The variable holding each source's key, for the operator (TMDB_READ_TOKEN or TMDB_API_KEY…). */
  keyVariables?: Partial<Record<SourceName, string>>;
  now?: () => Date;
}

export interface MessageContext {
  origin: string;
  /** Epoch ms of the first transient failure of this message (null on a first delivery). */
  retrySince?: number | null;
  /** Transient failures per tier counter on earlier passes. */
  tierAttempts?: Readonly<Record<string, number>>;
  /** The message key as consumed, kept with a parked nomination so that it can be re-driven. */
  key?: Buffer | null;
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

/**
 * The resolver's work for one message: decode, validate, resolve through the chain, write
 * the movie, the nomination, the lookup metrics and the review item, then publish the event.
 * Only the consumer entry point turns the result into a commit, a retry or a dead letter.
 */
export class NominationProcessor {
  private readonly log: Logger;
  private readonly announcer: MovieAnnouncer;

  constructor(private readonly deps: ProcessorDeps) {
    this.log = deps.logger.child({ component: 'processor' });
    this.announcer = new MovieAnnouncer(deps);
  }

  /** A poisoned message comes back as dead_letter; the consumer owns the retry and dead-letter metrics. */
  async process(value: Buffer | null, context: MessageContext): Promise<ProcessResult> {
    const input = await this.deps.readNomination(value);
    if (!input.ok) return input.disposition;
    const nomination = input.nomination;
    // Before anything is resolved: an older version, or another claim to the same instant,
    // must not spend a paid lookup.
    const standing = await this.deps.store.nominationStanding(nomination);
    if (standing.kind === 'stale' || standing.kind === 'conflict') return this.outdated(nomination, standing);
    const now = (this.deps.now?.() ?? new Date()).getTime();
    const since = context.retrySince ?? now;
    const horizonPassed = now - since >= this.deps.retry.horizonMs;
    const policy = this.deps.retry.exhaustedPolicy;

    const result = await this.deps.chain.resolve(toQuery(nomination), {
      critical: nomination.critical,
      ...(context.tierAttempts === undefined ? {} : { tierAttempts: context.tierAttempts }),
      // Only an operator's choice lets a transient failure move the film to a lower tier.
      fallThroughTransient: horizonPassed && policy === 'fall_through',
    });
    this.countSkips(result);
    if (result.kind === 'retry' || result.kind === 'auth_failed')
      await this.deps.store.recordAttempts(nomination, result.steps);
    switch (result.kind) {
      case 'retry': {
        const tierAttempts = { ...context.tierAttempts };
        if (result.counter !== null) tierAttempts[result.counter] = (tierAttempts[result.counter] ?? 0) + 1;
        const log = {
          nominationId: nomination.nominationId,
          source: result.source,
          reason: result.reason,
          tierAttempts,
          sinceMs: now - since,
        };
        if (horizonPassed && policy === 'dead_letter') {
          this.log.warn(log, 'transient failures outlived the retry horizon: nomination dead-lettered');
          return {
            kind: 'dead_letter',
            reason: `retries exhausted after ${Math.round((now - since) / 1000)} s: ${result.source}: ${result.reason}`,
            code: 'RETRIES_EXHAUSTED',
          };
        }
        if (horizonPassed && this.deps.parking !== undefined) {
          await this.deps.parking.park({
            nominationId: nomination.nominationId,
            producedAt: nomination.producedAt,
            film: {
              festival: nomination.festival,
              editionYear: nomination.editionYear,
              category: nomination.category,
              title: nomination.film.title,
              year: nomination.film.year,
              imdbId: nomination.film.imdbId,
            },
            source: result.source,
            reason: result.reason,
            since: new Date(since),
            parkedAt: new Date(now),
            tierAttempts,
            key: context.key ?? null,
            value,
          });
          this.deps.metrics?.parked.inc({ source: result.source });
          this.deps.parkedGauge
            ?.refresh()
            .catch((err: unknown) =>
              this.log.warn({ err }, 'parked gauge not refreshed; the next pass does it'),
            );
          this.deps.metrics?.messagesProcessed.inc({ outcome: 'parked' });
          this.log.warn(
            log,
            'transient failures outlived the retry horizon: nomination parked until the source is healthy',
          );
          return { kind: 'done' };
        }
        const delayMs =
          result.counter === null
            ? (result.waitMs ?? this.deps.retry.baseDelayMs)
            : backoffDelayMs(
                tierAttempts[result.counter] ?? 1,
                this.deps.retry,
                result.waitMs === undefined ? {} : { minimumMs: result.waitMs },
              );
        this.log.warn({ ...log, delayMs }, 'transient failure: nomination goes to the retry topic');
        return {
          kind: 'retry',
          reason: result.reason,
          delayMs,
          source: result.source,
          code: result.counter === null ? 'circuit_open' : 'upstream_transient',
          since,
          tierAttempts,
        };
      }
      case 'auth_failed': {
        const variable = this.deps.keyVariables?.[result.source] ?? `the ${result.source} key variable`;
        const reason = `${result.source} rejected the API key (${result.reason}); fix ${variable} and restart`;
        this.deps.metrics?.upstreamAuthFailures.inc({ source: result.source });
        this.deps.health?.setProblem(`source:${result.source}`, reason);
        this.log.error(
          { source: result.source, variable, nominationId: nomination.nominationId },
          'upstream auth failure: consumption paused',
        );
        return { kind: 'pause', reason };
      }
      case 'resolved':
      case 'stub':
        return this.persist(nomination, result, context);
    }
  }

  private async persist(
    nomination: Nomination,
    result: Extract<ChainResult, { kind: 'resolved' | 'stub' }>,
    context: MessageContext,
  ): Promise<ProcessResult> {
    const now = this.deps.now?.() ?? new Date();
    const resolvedImdbId = result.kind === 'resolved' ? result.movie.externalIds.imdbId : undefined;
    const movieKey = filmKey({
      imdbId: nomination.film.imdbId ?? resolvedImdbId ?? null,
      title: nomination.film.title,
      year: nomination.film.year,
    });
    const stored = await this.deps.store.save(
      {
        nomination,
        movieKey,
        ...(result.kind === 'resolved'
          ? {
              resolved: {
                source: result.source,
                importType: result.importType,
                movie: result.movie,
                confidence: result.confidence,
                strategy: result.strategy,
              },
            }
          : {}),
        ...(result.kind === 'stub' ? { review: result.review } : {}),
        steps: result.steps,
        origin: context.origin,
      },
      now,
    );
    // Another pass wrote a newer version (or another claim to this instant) since the check.
    if (stored.nomination.kind === 'stale' || stored.nomination.kind === 'conflict')
      return this.outdated(nomination, stored.nomination);
    await this.announcer.afterWrite(nomination, stored, result, now);

    const tier = result.kind === 'resolved' ? result.source : 'stub';
    this.deps.metrics?.resolutions.inc({
      import_type: stored.document.importType,
      tier,
      festival: nomination.festival,
    });
    this.deps.metrics?.messagesProcessed.inc({ outcome: result.kind });
    this.log.info(
      {
        nominationId: nomination.nominationId,
        movieKey,
        importType: stored.document.importType,
        tier,
        created: stored.created,
      },
      'nomination recorded',
    );
    return { kind: 'done' };
  }

  /**
   * A version older than the stored one is ignored (counted, committed); the same
   * producedAt with other content is dead-lettered: two facts claim the same instant and
   * neither can be preferred (see src/domain/nomination-identity.ts).
   */
  private outdated(
    nomination: Nomination,
    standing: Extract<NominationStanding, { kind: 'stale' | 'conflict' }>,
  ): ProcessResult {
    const log = {
      nominationId: nomination.nominationId,
      producedAt: nomination.producedAt,
      storedProducedAt: standing.storedProducedAt,
    };
    if (standing.kind === 'stale') {
      this.deps.metrics?.nominationsStale.inc();
      this.deps.metrics?.messagesProcessed.inc({ outcome: 'stale' });
      this.log.info(log, 'older version of a stored nomination ignored');
      return { kind: 'done' };
    }
    this.log.warn({ ...log, fields: standing.fields }, 'conflicting version of a stored nomination');
    return {
      kind: 'dead_letter',
      reason: `nomination ${nomination.nominationId}: producedAt ${nomination.producedAt} is already stored with other content (${standing.fields.join(', ')}); two versions claim the same instant`,
      code: 'NOMINATION_CONFLICT',
    };
  }

  private countSkips(result: ChainResult): void {
    for (const step of result.steps) {
      const reason =
        step.result === 'skipped'
          ? step.reasonForFallback
          : step.result === 'disabled' || step.result === 'critical_only' || step.result === 'not_configured'
            ? step.result
            : undefined;
      if (reason) this.deps.metrics?.tierSkipped.inc({ source: step.source, reason });
    }
  }
}
