import { describe, expect, it } from 'vitest';
import type { LookupOutcome } from '../../src/sources/outcome.js';
import { withRetry } from '../../src/sources/retry.js';
import { startTestTwin, twinFilm, twinWorld } from '../helpers/twin.js';
import { callsTo, makeSource, queryOf, recordingSleep } from './source-harness.js';

/**
 * The one contract every source passes, against the local twin of TMDb, OMDb and Zyte:
 * hit, miss, ambiguous, 429 then success, 5xx, timeout, bad key, malformed body. Each case
 * checks the outcome, the requests the twin saw and the attempts the outcome recorded.
 */

type Name = 'tmdb' | 'omdb' | 'imdb';
const service = { tmdb: 'tmdb', omdb: 'omdb', imdb: 'zyte' } as const;

function expectKind<K extends LookupOutcome['kind']>(
  outcome: LookupOutcome,
  kind: K,
): asserts outcome is Extract<LookupOutcome, { kind: K }> {
  expect(outcome.kind, JSON.stringify(outcome).slice(0, 400)).toBe(kind);
}

describe.each<Name>(['tmdb', 'omdb', 'imdb'])('source contract: %s', (name) => {
  it('when the film is known by its IMDb ID, then it is found, certain, with the ID and one attempt per request', async () => {
    const film = twinFilm({
      title: 'The Quiet Harbour',
      originalTitle: 'Le Port tranquille',
      directors: ['Léa Moreau'],
    });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const outcome = await makeSource(name, twin).lookup(queryOf(film));
    expectKind(outcome, 'found');
    expect(outcome.certain).toBe(true);
    expect(outcome.confidence).toBeGreaterThanOrEqual(0.75);
    expect(outcome.movie.source).toBe(name);
    expect(outcome.movie.externalIds.imdbId).toBe(film.imdbId);
    expect(outcome.movie.directors).toEqual(['Léa Moreau']);
    expect(outcome.attempts.every((a) => a.source === name && a.success)).toBe(true);
    expect(outcome.attempts).toHaveLength(callsTo(twin, name));
    // TMDb: find → details; OMDb: one by-ID request; IMDb: one Zyte extract.
    expect(callsTo(twin, name)).toBe(name === 'tmdb' ? 2 : 1);
  });

  it('when no source has the film, then the outcome is not_found and every request is recorded', async () => {
    const other = twinFilm({ title: 'Something Else Entirely' });
    const twin = await startTestTwin({ world: twinWorld([other]) });
    const outcome = await makeSource(name, twin).lookup({
      imdbId: 'tt0999999',
      title: 'A Film Nobody Has',
      year: 2024,
      directors: ['Nobody'],
    });
    expectKind(outcome, 'not_found');
    expect(outcome.attempts).toHaveLength(callsTo(twin, name));
    expect(outcome.attempts.every((a) => a.success)).toBe(true);
    if (name === 'imdb') {
      // The target's 404 comes back inside a 200 from Zyte: charged.
      expect(outcome.attempts[0]?.costUsd).toBeGreaterThan(0);
      expect(twin.chargedUsd()).toBeGreaterThan(0);
    }
    if (name === 'tmdb') expect(twin.counts()['tmdb.find']).toBe(1);
  });

  if (name === 'imdb') {
    it('when asked by title only (IMDb cannot be ambiguous by ID), then it answers not_found without a single Zyte call', async () => {
      const film = twinFilm({ title: 'Twins' });
      const twin = await startTestTwin({ world: twinWorld([film, twinFilm({ title: 'Twins' })]) });
      const outcome = await makeSource(name, twin).lookup(queryOf(film, { imdbId: undefined }));
      expectKind(outcome, 'not_found');
      expect(outcome.attempts).toEqual([]);
      expect(callsTo(twin, name)).toBe(0);
    });
  } else {
    it('when two films fit the nomination equally, then nothing is accepted as certain', async () => {
      // Same title, same year, directors the nomination does not name: only a human can choose.
      const a = twinFilm({
        title: 'The Border',
        directors: ['Piotr Kowalski'],
        releaseYear: 2024,
        festivalYear: 2024,
      });
      const b = twinFilm({
        title: 'The Border',
        directors: ['Amara Okafor'],
        releaseYear: 2024,
        festivalYear: null,
      });
      const twin = await startTestTwin({ world: twinWorld([a, b]) });
      const outcome = await makeSource(name, twin).lookup({ title: 'The Border', year: 2024, directors: [] });
      expect(outcome.kind === 'found' && outcome.certain).toBe(false);
      if (name === 'tmdb') {
        expectKind(outcome, 'found');
        expect(outcome.candidates.filter((c) => c.confidence >= 0.6).length).toBeGreaterThanOrEqual(2);
      }
      expect(outcome.attempts).toHaveLength(callsTo(twin, name));
    });
  }

  it('when the upstream answers 429 first, then withRetry waits at least Retry-After and the lookup succeeds', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { [service[name]]: { rateLimit: { requests: 1, windowMs: 60_000, retryAfter: 'always' } } },
    });
    const source = makeSource(name, twin);
    await source.lookup(queryOf(film)); // spends the window's one request
    const before = callsTo(twin, name);
    const { sleep, delays } = recordingSleep(() => twin.setOptions({ [service[name]]: { rateLimit: null } }));
    const outcome = await withRetry(source, {
      maxAttempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 120_000,
      sleep,
    }).lookup(queryOf(film));
    expectKind(outcome, 'found');
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(1000);
    expect(outcome.attempts[0]).toMatchObject({ success: false, status: 429 });
    expect(outcome.attempts.slice(1).every((a) => a.success)).toBe(true);
    expect(outcome.attempts).toHaveLength(callsTo(twin, name) - before);
  });

  it('when the upstream answers 5xx, then the outcome is transient (never not_found) after one request, not charged', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { [service[name]]: { errorRate: 1 } },
    });
    const outcome = await makeSource(name, twin).lookup(queryOf(film));
    expectKind(outcome, 'transient');
    expect(outcome.status).toBeGreaterThanOrEqual(500);
    expect(outcome.attempts).toHaveLength(1);
    expect(callsTo(twin, name)).toBe(1);
    expect(outcome.attempts[0]?.costUsd).toBe(0);
    expect(twin.chargedUsd()).toBe(0);
  });

  it('when the upstream is slower than the client timeout, then the outcome is transient and says it timed out', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { [service[name]]: { latencyMs: 1500 } },
    });
    const outcome = await makeSource(name, twin, { timeoutMs: 150 }).lookup(queryOf(film));
    expectKind(outcome, 'transient');
    expect(outcome.reason).toMatch(/timed out/);
    expect(outcome.attempts).toHaveLength(1);
  });

  it('when the key is wrong, then the outcome is auth_failed after one request', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const outcome = await makeSource(name, twin, { key: 'not-a-valid-key' }).lookup(queryOf(film));
    expectKind(outcome, 'auth_failed');
    expect(callsTo(twin, name)).toBe(1);
    expect(outcome.attempts).toMatchObject([{ success: false, status: 401 }]);
  });

  it('when the body is cut short, then the outcome is invalid_response', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { [service[name]]: { malformedRate: 1 } },
    });
    const outcome = await makeSource(name, twin).lookup(queryOf(film));
    expectKind(outcome, 'invalid_response');
    expect(outcome.attempts).toHaveLength(1);
    expect(callsTo(twin, name)).toBe(1);
  });

  if (name === 'imdb') {
    it('when IMDb answers its bot challenge, then the outcome is blocked, not not_found', async () => {
      const film = twinFilm({ imdb: 'blocked' });
      const twin = await startTestTwin({ world: twinWorld([film]) });
      const outcome = await makeSource(name, twin).lookup(queryOf(film));
      expectKind(outcome, 'blocked');
      expect(callsTo(twin, name)).toBe(1);
    });
  }
});
