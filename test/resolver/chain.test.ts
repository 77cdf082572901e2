import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { NormalizedMovie, SourceName } from '../../src/domain/movie.js';
import { ResolutionChain, type ChainSettings } from '../../src/resolver/chain.js';
import { GuardedSource } from '../../src/resolver/guarded-source.js';
import type { BudgetPort } from '../../src/resolver/ports.js';
import type { LookupOutcome } from '../../src/sources/outcome.js';
import type { LookupQuery, MovieSource } from '../../src/sources/source.js';

// The chain's decisions over the source contract; the adapters themselves are tested against the twin.
const logger = pino({ level: 'silent' });
const query: LookupQuery = {
  imdbId: 'tt27714581',
  title: 'Sentimental Value',
  originalTitle: 'Affeksjonsverdi',
  year: 2025,
  directors: ['Joachim Trier'],
};

function movie(source: SourceName): NormalizedMovie {
  return {
    source,
    title: 'Sentimental Value',
    alternativeTitles: [],
    genres: [],
    directors: ['Joachim Trier'],
    cast: [],
    countries: [],
    languages: [],
    ratings: [],
    externalIds: { imdbId: 'tt27714581' },
    year: 2025,
  };
}

function found(source: SourceName, confidence: number, certain = confidence >= 0.75): LookupOutcome {
  return {
    kind: 'found',
    movie: movie(source),
    confidence,
    certain,
    strategy: 'by_imdb_id',
    evidence: {},
    candidates: [],
    attempts: [
      {
        source,
        operation: 'lookup',
        identifier: 'tt27714581',
        strategy: 'by_imdb_id',
        success: true,
        responseTimeMs: 1,
        costUsd: source === 'imdb' ? 0.02 : 0,
      },
    ],
  };
}

/** A source answering from a script of outcomes, counting its calls. */
function scripted(name: SourceName, outcomes: LookupOutcome[], cost = 0): MovieSource & { calls: number } {
  const source = {
    name,
    priority: 1,
    costPerRequestUsd: cost,
    importType: name === 'omdb' ? ('minimal' as const) : ('full' as const),
    titleLookupAfterIdMiss: name === 'tmdb',
    calls: 0,
    lookup(): Promise<LookupOutcome> {
      source.calls += 1;
      const next = outcomes[Math.min(source.calls - 1, outcomes.length - 1)];
      if (next === undefined) throw new Error('script exhausted');
      return Promise.resolve(next);
    },
    lookupByImdbId(): Promise<LookupOutcome> {
      return source.lookup();
    },
    lookupByTitle(): Promise<LookupOutcome> {
      return source.lookup();
    },
  };
  return source;
}

const notFound: LookupOutcome = { kind: 'not_found', candidates: [], attempts: [] };
const transient: LookupOutcome = {
  kind: 'transient',
  reason: 'tmdb answered 503',
  status: 503,
  attempts: [],
};

const settings: ChainSettings = {
  tiers: { order: ['tmdb', 'omdb', 'imdb'], disabled: [], criticalOnly: [] },
  acceptThreshold: 0.75,
  reviewThreshold: 0.6,
};

function chainOf(sources: MovieSource[], overrides: Partial<ChainSettings> = {}, budget?: BudgetPort) {
  const guarded = new Map(
    sources.map((s) => [
      s.name,
      new GuardedSource(s, {
        budget,
        maxRequestsPerLookup: 1,
        breaker: { errorThresholdPercentage: 50, resetTimeoutMs: 60_000, volumeThreshold: 100 },
        logger,
      }),
    ]),
  );
  return new ResolutionChain(guarded, { ...settings, ...overrides });
}

describe('ResolutionChain', () => {
  it('when TMDb is certain, then the film is full from TMDb and no paid tier is called', async () => {
    const tmdb = scripted('tmdb', [found('tmdb', 0.97)]);
    const omdb = scripted('omdb', [found('omdb', 0.9)]);
    const imdb = scripted('imdb', [found('imdb', 1)]);
    const result = await chainOf([tmdb, omdb, imdb]).resolve(query, { critical: false, attempt: 1 });
    expect(result).toMatchObject({ kind: 'resolved', source: 'tmdb', importType: 'full' });
    expect([omdb.calls, imdb.calls]).toEqual([0, 0]);
  });

  it('when TMDb misses and OMDb finds the film, then it is minimal from OMDb and IMDb is not called', async () => {
    const imdb = scripted('imdb', [found('imdb', 1)]);
    const result = await chainOf([
      scripted('tmdb', [notFound]),
      scripted('omdb', [found('omdb', 0.9)]),
      imdb,
    ]).resolve(query, { critical: false, attempt: 1 });
    expect(result).toMatchObject({ kind: 'resolved', source: 'omdb', importType: 'minimal' });
    expect(result.steps.map((s) => [s.source, s.reasonForFallback])).toEqual([
      ['tmdb', 'not_found'],
      ['omdb', null],
    ]);
    expect(imdb.calls).toBe(0);
  });

  it('when every tier misses, then the film is a stub sent to review', async () => {
    const result = await chainOf([
      scripted('tmdb', [notFound]),
      scripted('omdb', [notFound]),
      scripted('imdb', [notFound]),
    ]).resolve(query, { critical: false, attempt: 1 });
    expect(result).toMatchObject({ kind: 'stub', review: { reason: 'all_sources_failed' } });
    expect(result.steps).toHaveLength(3);
  });

  it('when TMDb fails transiently, then the chain asks for a retry and calls no later tier', async () => {
    const omdb = scripted('omdb', [found('omdb', 0.9)]);
    const result = await chainOf([scripted('tmdb', [transient]), omdb]).resolve(query, {
      critical: false,
      attempt: 1,
    });
    expect(result).toMatchObject({ kind: 'retry', source: 'tmdb' });
    expect(omdb.calls).toBe(0);
  });

  it('when the operator configured a fall-through and the horizon passed, then a transient failure moves to the next tier', async () => {
    const result = await chainOf([
      scripted('tmdb', [transient]),
      scripted('omdb', [found('omdb', 0.9)]),
    ]).resolve(query, { critical: false, fallThroughTransient: true });
    expect(result).toMatchObject({ kind: 'resolved', source: 'omdb' });
    expect(result.steps[0]?.reasonForFallback).toBe('transient_retries_exhausted');
  });

  it('when a tier fails transiently, then the retry names that tier as its counter, whatever the other tiers spent', async () => {
    const result = await chainOf([scripted('tmdb', [notFound]), scripted('omdb', [transient])]).resolve(
      query,
      { critical: false, tierAttempts: { tmdb: 40 } },
    );
    expect(result).toMatchObject({ kind: 'retry', source: 'omdb', counter: 'omdb' });
  });

  it('when a circuit is open, then the retry spends no attempt and waits for the breaker', async () => {
    const failing = scripted('tmdb', [transient]);
    const guarded = new GuardedSource(failing, {
      maxRequestsPerLookup: 1,
      breaker: { errorThresholdPercentage: 50, resetTimeoutMs: 30_000, volumeThreshold: 1 },
      logger,
    });
    const chain = new ResolutionChain(new Map([['tmdb', guarded]]), settings);
    expect(await chain.resolve(query, { critical: false })).toMatchObject({ kind: 'retry', counter: 'tmdb' });
    const calls = failing.calls;
    const open = await chain.resolve({ ...query, imdbId: 'tt0000002' }, { critical: false });
    expect(open).toMatchObject({ kind: 'retry', source: 'tmdb', counter: null });
    expect(open.kind === 'retry' && open.waitMs).toBeGreaterThan(20_000);
    expect(failing.calls).toBe(calls);
    guarded.shutdown();
  });

  it('when an IMDb page stays blocked, then it is retried once and then given up (each blocked fetch is charged), with its own counter', async () => {
    const blocked: LookupOutcome = { kind: 'blocked', reason: 'bot challenge', attempts: [] };
    const first = await chainOf([scripted('tmdb', [notFound]), scripted('imdb', [blocked])]).resolve(query, {
      critical: false,
      tierAttempts: { imdb: 3 },
    });
    expect(first).toMatchObject({ kind: 'retry', source: 'imdb', counter: 'imdb.blocked' });
    const second = await chainOf([scripted('tmdb', [notFound]), scripted('imdb', [blocked])]).resolve(query, {
      critical: false,
      tierAttempts: { 'imdb.blocked': 1 },
    });
    expect(second).toMatchObject({ kind: 'stub' });
    expect(second.steps.find((s) => s.source === 'imdb')?.reasonForFallback).toBe('blocked_page');
  });

  it('when a key is rejected, then the chain stops with auth_failed instead of stubbing', async () => {
    const result = await chainOf([
      scripted('tmdb', [{ kind: 'auth_failed', reason: 'invalid API key', attempts: [] }]),
      scripted('omdb', [notFound]),
    ]).resolve(query, { critical: false, attempt: 1 });
    expect(result).toMatchObject({ kind: 'auth_failed', source: 'tmdb' });
  });

  it('when a tier is critical-only, then it runs for critical nominations alone', async () => {
    const make = () => [
      scripted('tmdb', [notFound]),
      scripted('omdb', [notFound]),
      scripted('imdb', [found('imdb', 1)]),
    ];
    const normal = await chainOf(make(), { tiers: { ...settings.tiers, criticalOnly: ['imdb'] } }).resolve(
      query,
      { critical: false, attempt: 1 },
    );
    expect(normal.kind).toBe('stub');
    expect(normal.steps[2]).toMatchObject({ source: 'imdb', result: 'critical_only' });
    const critical = await chainOf(make(), { tiers: { ...settings.tiers, criticalOnly: ['imdb'] } }).resolve(
      query,
      { critical: true, attempt: 1 },
    );
    expect(critical).toMatchObject({ kind: 'resolved', source: 'imdb', importType: 'full' });
  });

  it('when the budget is exhausted, then the paid tier is skipped with budget_exhausted and never called', async () => {
    const imdb = scripted('imdb', [found('imdb', 1)], 0.02);
    const budget: BudgetPort = { reserve: () => Promise.resolve({ ok: false, period: 'day' }) };
    const result = await chainOf([scripted('tmdb', [notFound]), imdb], {}, budget).resolve(query, {
      critical: false,
      attempt: 1,
    });
    expect(result.kind).toBe('stub');
    expect(result.steps.find((s) => s.source === 'imdb')).toMatchObject({
      result: 'skipped',
      reasonForFallback: 'budget_exhausted',
    });
    expect(imdb.calls).toBe(0);
  });

  it('when a match is uncertain and nothing better comes, then the film stays a stub and its candidates go to review', async () => {
    const result = await chainOf([
      scripted('tmdb', [found('tmdb', 0.68, false)]),
      scripted('omdb', [notFound]),
      scripted('imdb', [notFound]),
    ]).resolve(query, { critical: false, attempt: 1 });
    // Below the accept threshold nothing is stored as full or minimal: a stub with its candidates for a curator.
    expect(result).toMatchObject({ kind: 'stub', review: { reason: 'low_confidence' } });
  });

  it('when a later tier is certain after an uncertain one, then the certain one wins without review', async () => {
    const result = await chainOf([
      scripted('tmdb', [found('tmdb', 0.68, false)]),
      scripted('omdb', [notFound]),
      scripted('imdb', [found('imdb', 1)]),
    ]).resolve(query, { critical: false, attempt: 1 });
    expect(result).toMatchObject({ kind: 'resolved', source: 'imdb' });
    expect(result.kind === 'resolved' && result.confidence).toBe(1);
  });

  it('when concurrent nominations ask for the same film, then the source is called once', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tmdb = scripted('tmdb', [found('tmdb', 0.97)]);
    const slow: MovieSource & { calls: number } = {
      ...tmdb,
      lookup: async () => {
        tmdb.calls += 1;
        await gate;
        return found('tmdb', 0.97);
      },
    };
    const chain = chainOf([slow]);
    const both = Promise.all([
      chain.resolve(query, { critical: false, attempt: 1 }),
      chain.resolve(query, { critical: true, attempt: 1 }),
    ]);
    release();
    const results = await both;
    expect(results.map((r) => r.kind)).toEqual(['resolved', 'resolved']);
    expect(tmdb.calls).toBe(1);
  });
});
