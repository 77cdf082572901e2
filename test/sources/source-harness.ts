import { Writable } from 'node:stream';
import type { WorldFilm } from '../../src/twin/world.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { ImdbZyteSource } from '../../src/sources/imdb-zyte.js';
import { OmdbSource } from '../../src/sources/omdb.js';
import type { LookupQuery, MovieSource } from '../../src/sources/source.js';
import { TmdbSource } from '../../src/sources/tmdb.js';
import type { TestTwin } from '../helpers/twin.js';

const thresholds = { accept: 0.75, review: 0.6 };

/** Settings a test may change when it builds a source against the twin. */
export interface MakeOptions {
  timeoutMs?: number;
  /** Credentials to send instead of the twin's valid ones. */
  key?: string;
  logger?: Logger;
  /** TMDb only: authenticate with ?api_key= instead of the Bearer token. */
  tmdbApiKey?: boolean;
}

/** Builds one adapter against a twin, as create-sources.ts would against the real services. */
export function makeSource(
  name: 'tmdb' | 'omdb' | 'imdb',
  twin: TestTwin,
  options: MakeOptions = {},
): MovieSource {
  const common = {
    timeoutMs: options.timeoutMs ?? 5000,
    priority: 1,
    thresholds,
    logger: options.logger ?? createLogger('silent'),
  };
  if (name === 'tmdb') {
    const auth = options.tmdbApiKey
      ? { apiKey: options.key ?? twin.keys.tmdbApiKey }
      : { readToken: options.key ?? twin.keys.tmdbToken };
    return new TmdbSource({ baseUrl: twin.urls.tmdb, ...auth, costUsd: 0, ...common });
  }
  if (name === 'omdb')
    return new OmdbSource({
      baseUrl: twin.urls.omdb,
      apiKey: options.key ?? twin.keys.omdbKey,
      costUsd: 0.001,
      ...common,
    });
  return new ImdbZyteSource({
    baseUrl: twin.urls.zyte,
    apiKey: options.key ?? twin.keys.zyteKey,
    costUsd: 0.02,
    ...common,
  });
}

/** The twin endpoints each source calls. */
const endpointsOf = {
  tmdb: ['tmdb.find', 'tmdb.search', 'tmdb.movie'],
  omdb: ['omdb.byId', 'omdb.byTitle'],
  imdb: ['zyte.extract'],
} as const;

/** Requests the twin saw for one source. */
export function callsTo(twin: TestTwin, name: 'tmdb' | 'omdb' | 'imdb'): number {
  const counts = twin.counts();
  return endpointsOf[name].reduce((sum, e) => sum + counts[e], 0);
}

/** The nomination of a catalog film, as a festival would publish it. */
export function queryOf(film: WorldFilm, overrides: Partial<LookupQuery> = {}): LookupQuery {
  return {
    imdbId: film.imdbId,
    title: film.title,
    ...(film.originalTitle !== film.title ? { originalTitle: film.originalTitle } : {}),
    year: film.festivalYear ?? film.releaseYear,
    directors: film.directors,
    ...overrides,
  };
}

/** A logger writing every line into memory, for tests that read the logs. */
export function memoryLogger(level = 'trace'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger(level, stream), lines };
}

/** A sleep that does not wait and remembers what it was asked. */
export function recordingSleep(onSleep?: (ms: number) => void): {
  sleep: (ms: number) => Promise<void>;
  delays: number[];
} {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms: number) => {
      delays.push(ms);
      onSleep?.(ms);
      return Promise.resolve();
    },
  };
}
