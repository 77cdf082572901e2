import { describe, expect, it } from 'vitest';
import type { LookupOutcome, UpstreamAttempt } from '../../src/sources/outcome.js';
import { backoffDelay, withRetry } from '../../src/sources/retry.js';
import type { MovieSource } from '../../src/sources/source.js';
import { recordingSleep } from './source-harness.js';

const attempt = (n: number): UpstreamAttempt => ({
  source: 'tmdb',
  operation: 'find',
  identifier: `try-${n}`,
  strategy: 'find_by_imdb_id',
  success: false,
  responseTimeMs: 1,
  costUsd: 0,
});
const transient = (n: number, retryAfterMs?: number): LookupOutcome => ({
  kind: 'transient',
  reason: 'GET /find answered 503',
  status: 503,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  attempts: [attempt(n)],
});
const notFound = (n: number): LookupOutcome => ({
  kind: 'not_found',
  candidates: [],
  attempts: [attempt(n)],
});

/** A source that answers the scripted outcomes in order. */
function scripted(outcomes: LookupOutcome[]): MovieSource & { calls: number } {
  const source = {
    name: 'tmdb' as const,
    priority: 1,
    costPerRequestUsd: 0,
    importType: 'full' as const,
    titleLookupAfterIdMiss: true,
    calls: 0,
    lookup: () => {
      const next = outcomes[source.calls] ?? outcomes[outcomes.length - 1];
      source.calls += 1;
      return Promise.resolve(next as LookupOutcome);
    },
    lookupByImdbId: () => source.lookup(),
    lookupByTitle: () => source.lookup(),
  };
  return source;
}

const q = { title: 'x', directors: [] };

describe('withRetry', () => {
  it('when the source is transient twice and then answers, then the answer carries the attempts of all three tries', async () => {
    const source = scripted([transient(1), transient(2), notFound(3)]);
    const { sleep, delays } = recordingSleep();
    const outcome = await withRetry(source, {
      maxAttempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 10_000,
      sleep,
      random: () => 0.5,
    }).lookup(q);
    expect(outcome.kind).toBe('not_found');
    expect(outcome.attempts.map((a) => a.identifier)).toEqual(['try-1', 'try-2', 'try-3']);
    expect(delays).toEqual([75, 150]);
  });

  it('when every try is transient, then it stops after maxAttempts and returns the transient outcome', async () => {
    const source = scripted([transient(1)]);
    const { sleep, delays } = recordingSleep();
    const outcome = await withRetry(source, {
      maxAttempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 100,
      sleep,
    }).lookupByImdbId('tt0038297', q);
    expect(outcome.kind).toBe('transient');
    expect(source.calls).toBe(3);
    expect(outcome.attempts).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('when the outcome is not transient, then it is not retried', async () => {
    const source = scripted([notFound(1), transient(2)]);
    const outcome = await withRetry(source, {
      maxAttempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 100,
      sleep: recordingSleep().sleep,
    }).lookupByTitle(q);
    expect(outcome.kind).toBe('not_found');
    expect(source.calls).toBe(1);
  });

  it('when Retry-After is longer than the backoff, then the wait honours it; when longer than maxDelayMs, then it is handed back at once', async () => {
    const { sleep, delays } = recordingSleep();
    await withRetry(scripted([transient(1, 4000), notFound(2)]), {
      maxAttempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 10_000,
      sleep,
    }).lookup(q);
    expect(delays).toEqual([4000]);
    const source = scripted([transient(1, 60_000), notFound(2)]);
    const outcome = await withRetry(source, {
      maxAttempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 10_000,
      sleep,
    }).lookup(q);
    expect(outcome).toMatchObject({ kind: 'transient', retryAfterMs: 60_000 });
    expect(source.calls).toBe(1);
  });

  it('when the lookup is aborted, then no further try is made', async () => {
    const source = scripted([transient(1), notFound(2)]);
    const controller = new AbortController();
    const { sleep } = recordingSleep(() => controller.abort());
    const outcome = await withRetry(source, {
      maxAttempts: 5,
      baseDelayMs: 10,
      maxDelayMs: 100,
      sleep,
    }).lookup(q, { signal: controller.signal });
    expect(outcome.kind).toBe('transient');
    expect(source.calls).toBe(1);
  });

  it('when the backoff grows, then it doubles with jitter between half and all of it, capped at maxDelayMs', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, undefined, opts, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, undefined, opts, () => 0.999999))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });
});
