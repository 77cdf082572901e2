import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSources } from '../../src/sources/create-sources.js';
import type { LookupOutcome } from '../../src/sources/outcome.js';
import { startTestTwin, twinFilm, twinWorld } from '../helpers/twin.js';
import { makeSource, memoryLogger, queryOf } from './source-harness.js';

/**
 * API keys travel in query strings (TMDb api_key, OMDb apikey) and headers (TMDb Bearer,
 * Zyte Basic). This run provokes every failure path with valid and invalid keys and checks
 * that no key — nor its Basic-auth encoding — reaches a log line or an outcome.
 */
const secrets = {
  tmdbToken: 'tmdb-token-S3CRET-aa11',
  tmdbApiKey: 'tmdb-key-S3CRET-bb22',
  omdbKey: 'omdb-key-S3CRET-cc33',
  zyteKey: 'zyte-key-S3CRET-dd44',
};
const badSecrets = ['bad-token-S3CRET-ee55', 'bad-omdb-S3CRET-ff66', 'bad-zyte-S3CRET-gg77'];

function forbidden(): string[] {
  const all = [...Object.values(secrets), ...badSecrets];
  return [
    ...all,
    ...all.map((s) => Buffer.from(`${s}:`).toString('base64')),
    ...all.map((s) => encodeURIComponent(s)),
  ];
}

describe('key redaction', () => {
  it('when lookups fail with bad keys, 5xx, 429, timeouts and bad bodies, then no key appears in any log line or outcome', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: {
        keys: {
          tmdbTokens: [secrets.tmdbToken],
          tmdbApiKeys: [secrets.tmdbApiKey],
          omdbKeys: [secrets.omdbKey],
          zyteKeys: [secrets.zyteKey],
        },
      },
    });
    const { logger, lines } = memoryLogger('trace');
    const outcomes: LookupOutcome[] = [];
    const run = async (names: ('tmdb' | 'omdb' | 'imdb')[], opts: Parameters<typeof makeSource>[2] = {}) => {
      for (const name of names)
        outcomes.push(await makeSource(name, twin, { logger, ...opts }).lookup(queryOf(film)));
    };

    // Bad keys, in every place a key can travel.
    await run(['tmdb'], { key: badSecrets[0] });
    await run(['tmdb'], { key: badSecrets[0], tmdbApiKey: true });
    await run(['omdb'], { key: badSecrets[1] });
    await run(['imdb'], { key: badSecrets[2] });
    // Valid keys, upstream trouble.
    const keys = { tmdb: secrets.tmdbToken, omdb: secrets.omdbKey, imdb: secrets.zyteKey };
    for (const trouble of [
      { errorRate: 1 },
      { malformedRate: 1 },
      { rateLimit: { requests: 1, windowMs: 60_000, retryAfter: 'always' as const } },
      { latencyMs: 800 },
    ]) {
      twin.setOptions({ tmdb: trouble, omdb: trouble, zyte: trouble });
      for (const name of ['tmdb', 'omdb', 'imdb'] as const) {
        outcomes.push(
          await makeSource(name, twin, { logger, key: keys[name], timeoutMs: 200 }).lookup(queryOf(film)),
        );
        outcomes.push(
          await makeSource(name, twin, { logger, key: keys[name], timeoutMs: 200 }).lookup(queryOf(film)),
        );
      }
      twin.setOptions({
        tmdb: { errorRate: 0, malformedRate: 0, rateLimit: null, latencyMs: 0 },
        omdb: { errorRate: 0, malformedRate: 0, rateLimit: null, latencyMs: 0 },
        zyte: { errorRate: 0, malformedRate: 0, rateLimit: null, latencyMs: 0 },
      });
    }
    // The factory path, from environment variables, with retries.
    const config = loadConfig({
      TMDB_BASE_URL: twin.urls.tmdb,
      TMDB_API_KEY: secrets.tmdbApiKey,
      OMDB_BASE_URL: twin.urls.omdb,
      OMDB_API_KEY: badSecrets[1],
      ZYTE_BASE_URL: twin.urls.zyte,
      ZYTE_API_KEY: secrets.zyteKey,
      RETRY_MAX_ATTEMPTS: '2',
      RETRY_BASE_DELAY_MS: '1',
    });
    const sources = createSources(config, logger);
    twin.setOptions({ zyte: { errorRate: 1 } });
    for (const source of Object.values(sources)) outcomes.push(await source.lookup(queryOf(film)));

    const kinds = new Set(outcomes.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['auth_failed', 'found', 'invalid_response', 'transient']);
    expect(lines.some((l) => l.includes('"level":40'))).toBe(true);
    const texts = [...lines, ...outcomes.map((o) => JSON.stringify(o))];
    for (const secret of forbidden()) {
      const leaks = texts.filter((t) => t.includes(secret));
      expect(leaks, `leaked ${secret}`).toEqual([]);
    }
  });
});
