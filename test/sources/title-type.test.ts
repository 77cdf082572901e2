import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filmTitleTypes, isFilmTitleType, omdbTypeToTitleType } from '../../src/domain/title-type.js';
import { createLogger } from '../../src/logger.js';
import { ImdbZyteSource } from '../../src/sources/imdb-zyte.js';
import { parseImdbPage } from '../../src/sources/imdb-page-parser.js';
import { readFixture } from '../helpers/real-fixtures.js';

/** The recorded Taken page with its __NEXT_DATA__ title type replaced (JSON-LD keeps `@type: Movie`). */
function takenAs(titleType: string): string {
  const html = readFixture('imdb/tt0936501-flexget-2022-10-27.html').toString('utf8');
  return html
    .replaceAll('"titleType":{"text":"Movie","id":"movie"', `"titleType":{"text":"X","id":"${titleType}"`)
    .replaceAll('"titleType":{"id":"movie"', `"titleType":{"id":"${titleType}"`);
}

let page = '';
/** Keys of Zyte's answer besides url and the body (statusCode unless a test drops it). */
let envelope: Record<string, unknown> = { statusCode: 200 };
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const { url } = JSON.parse(body) as { url: string };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ url, ...envelope, httpResponseBody: Buffer.from(page).toString('base64') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const imdb = () =>
  new ImdbZyteSource({
    baseUrl: base,
    apiKey: 'k',
    timeoutMs: 5000,
    costUsd: 0.02,
    priority: 3,
    thresholds: { accept: 0.75, review: 0.6 },
    logger: createLogger('silent'),
  });
const taken = { imdbId: 'tt0936501', title: 'Taken', year: 2008, directors: ['Pierre Morel'] };

describe('title types', () => {
  it('when the accept-list is read, then films, shorts, TV films and videos are in it and series or episodes are not', () => {
    expect([...filmTitleTypes].sort()).toEqual(['movie', 'short', 'tvMovie', 'tvShort', 'video']);
    for (const t of ['tvSeries', 'tvMiniSeries', 'tvEpisode', 'tvSpecial', 'videoGame', 'musicVideo'])
      expect(isFilmTitleType(t)).toBe(false);
    expect(isFilmTitleType(undefined)).toBe(true);
    expect([
      omdbTypeToTitleType('movie'),
      omdbTypeToTitleType('series'),
      omdbTypeToTitleType('episode'),
      omdbTypeToTitleType('N/A'),
    ]).toEqual(['movie', 'tvSeries', 'tvEpisode', undefined]);
  });

  it('when JSON-LD says Movie but __NEXT_DATA__ says tvMovie, then the type is tvMovie, stored on the movie, and accepted', async () => {
    page = takenAs('tvMovie');
    const parsed = parseImdbPage(page);
    expect(parsed.kind === 'page' && parsed.data.titleType).toBe('tvMovie');
    const outcome = await imdb().lookup(taken);
    expect(outcome).toMatchObject({ kind: 'found', movie: { titleType: 'tvMovie', title: 'Taken' } });
  });

  it.each(['tvSeries', 'tvMiniSeries', 'tvEpisode'])(
    'when the page is a %s, then it is refused for a film nomination',
    async (titleType) => {
      page = takenAs(titleType);
      const outcome = await imdb().lookup(taken);
      expect(outcome).toMatchObject({
        kind: 'not_found',
        candidates: [{ rejectedBecause: `title_type:${titleType}` }],
      });
    },
  );

  it('when Zyte answers without statusCode, then the page is read as a 200 (as the vendor client does)', async () => {
    page = takenAs('movie');
    envelope = {};
    try {
      const outcome = await imdb().lookup(taken);
      expect(outcome).toMatchObject({ kind: 'found', attempts: [{ status: 200, success: true }] });
    } finally {
      envelope = { statusCode: 200 };
    }
  });
});
