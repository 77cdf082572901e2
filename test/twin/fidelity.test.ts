import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffShapes, formatDifferences, shapeOf, type Shape } from '../../src/twin/structural-diff.js';
import { fixtureFiles, loadExpected, pageBlocks, readFixtureJson } from '../helpers/real-fixtures.js';
import { startTestTwin, twinFilm, twinWorld, type TestTwin } from '../helpers/twin.js';

/**
 * Twin fidelity: the twin's answers have the shape of the real recordings of the same
 * endpoint (../shared/fixtures/real/) — the same key paths, JSON types and null patterns.
 * Values are synthetic and may differ. Recordings are found by folder, so a new recording is
 * compared without a code change.
 */

const expected = loadExpected();
const real = (
  under: string,
  filter: (file: string) => boolean = () => true,
): { file: string; body: unknown }[] =>
  fixtureFiles(under)
    .filter(filter)
    .map((file) => ({ file, body: readFixtureJson(file) }));

// The appends the TMDb adapter asks for (tmdb.ts); a recording's other appends (keywords,
// images…) are answers to questions the adapter never asks, so they are left out of the comparison.
const adapterAppends = ['credits', 'external_ids', 'alternative_titles', 'release_dates'];
function withoutForeignAppends(file: string, body: unknown): unknown {
  const appended =
    /appended keys in body: ([^)]*)/.exec(expected[file]?.endpoint ?? '')?.[1]?.split(',') ?? [];
  const drop = appended.map((k) => k.trim()).filter((k) => !adapterAppends.includes(k));
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).filter(([k]) => !drop.includes(k)),
  );
}

// __NEXT_DATA__ holds hundreds of page-furniture keys (requestContext, cmsContext, reviews…);
// the comparison covers the subtrees the page parser reads (imdb-page-parser.ts), whole.
const nextDataRead = {
  aboveTheFoldData: [
    'id',
    'titleType',
    'productionStatus',
    'titleText',
    'originalTitleText',
    'releaseYear',
    'releaseDate',
    'runtime',
    'ratingsSummary',
    'genres',
    'plot',
    'primaryImage',
    'directorsPageTitle',
    'castPageTitle',
    'countriesOfOrigin',
  ],
  mainColumnData: [
    'titleType',
    'titleText',
    'originalTitleText',
    'releaseYear',
    'releaseDate',
    'directors',
    'cast',
    'akas',
    'countriesOfOrigin',
    'spokenLanguages',
    'runtime',
  ],
};
function readSet(nextData: Record<string, unknown> | undefined): unknown {
  const pageProps =
    (nextData?.props as { pageProps?: Record<string, Record<string, unknown>> } | undefined)?.pageProps ?? {};
  return Object.fromEntries(
    Object.entries(nextDataRead).map(([block, keys]) => [
      block,
      Object.fromEntries(
        keys.filter((k) => k in (pageProps[block] ?? {})).map((k) => [k, pageProps[block]?.[k]]),
      ),
    ]),
  );
}
/** GraphQL type tags: IMDb's, read by no client; the twin does not write them. */
const shapeOptions = { ignoreKeys: ['__typename'] };

function expectSameShape(label: string, twinBodies: unknown[], recordings: unknown[]): void {
  expect(recordings.length, `${label}: no recordings`).toBeGreaterThan(0);
  const realShapes: Shape[] = recordings.map((r) => shapeOf(r, shapeOptions));
  for (const body of twinBodies) {
    const diffs = diffShapes(shapeOf(body, shapeOptions), realShapes);
    expect(diffs, `${label}: ${diffs.length} structural differences\n${formatDifferences(diffs)}`).toEqual(
      [],
    );
  }
}

const mononoke = twinFilm({
  title: 'Princess Mononoke',
  originalTitle: 'Mononoke-hime',
  directors: ['Hayao Miyazaki'],
  genres: ['Animation', 'Action', 'Adventure', 'Fantasy'],
  countries: ['JP'],
  languages: ['ja'],
  cast: ['A One', 'B Two', 'C Three', 'D Four', 'E Five'],
  tmdb: { alternativeTitles: [{ iso_3166_1: 'US', title: 'Princess Mononoke', type: '' }] },
});
const matrix = twinFilm({
  title: 'The Matrix',
  directors: ['Lana Wachowski', 'Lilly Wachowski'],
  genres: ['Action', 'Science Fiction'],
  countries: ['US', 'AU'],
  languages: ['en'],
});
const undated = twinFilm({
  title: 'In the Works',
  releaseYear: 2026,
  festivalYear: null,
  rating: null,
  runtimeMinutes: null,
  cast: [],
  directors: [],
  tmdb: { releaseDate: '' },
});

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin({ world: twinWorld([mononoke, matrix, undated]) });
});
afterAll(async () => {
  await twin.close();
});

async function get(
  base: string,
  path: string,
  params: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; data: unknown }> {
  const res = await axios.get(`${base}${path}`, {
    params,
    headers,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(d: unknown) => d],
  });
  const text = String(res.data);
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // an HTML page
  }
  return { status: res.status, data };
}
const tmdb = (path: string, params: Record<string, string | number> = {}, token = twin.keys.tmdbToken) =>
  get(twin.urls.tmdb, path, params, { Authorization: `Bearer ${token}` });
const omdb = (params: Record<string, string | number>, key = twin.keys.omdbKey) =>
  get(twin.urls.omdb, '', { apikey: key, ...params });
async function zyte(url: string): Promise<unknown> {
  const res = await axios.post(
    `${twin.urls.zyte}/extract`,
    { url, httpResponseBody: true },
    { auth: { username: twin.keys.zyteKey, password: '' } },
  );
  return res.data as unknown;
}
async function page(film: { imdbId: string }): Promise<string> {
  const body = (await zyte(`https://www.imdb.com/title/${film.imdbId}/`)) as { httpResponseBody: string };
  return Buffer.from(body.httpResponseBody, 'base64').toString('utf8');
}

describe('twin fidelity: TMDb', () => {
  it('find answers with the shape of the real find recordings', async () => {
    const hits = await Promise.all(
      [mononoke, matrix].map((f) => tmdb(`/find/${f.imdbId}`, { external_source: 'imdb_id' })),
    );
    expectSameShape(
      'tmdb find',
      hits.map((h) => h.data),
      real('tmdb/find').map((r) => r.body),
    );
  });

  it('search answers with the shape of the real search recordings, an empty page included', async () => {
    const answers = await Promise.all([
      tmdb('/search/movie', { query: 'Matrix', include_adult: 'false', page: 1 }),
      tmdb('/search/movie', { query: 'Meen of Stal', page: 1 }),
      tmdb('/search/movie', { query: 'In the Works' }),
    ]);
    expectSameShape(
      'tmdb search',
      answers.map((a) => a.data),
      real('tmdb/search').map((r) => r.body),
    );
    // An empty release date is "", as in the real 350632 result, never null.
    const works = answers[2]?.data as { results: { release_date: unknown }[] };
    expect(works.results[0]?.release_date).toBe('');
  });

  it('movie details with the adapter’s appends have the shape of the real movie recordings', async () => {
    const appends = adapterAppends.join(',');
    const answers = await Promise.all(
      [mononoke, matrix, undated].map((f) => tmdb(`/movie/${f.tmdbId}`, { append_to_response: appends })),
    );
    expectSameShape(
      'tmdb movie',
      answers.map((a) => a.data),
      real('tmdb/movie').map((r) => withoutForeignAppends(r.file, r.body)),
    );
  });

  it('errors (bad key, unknown id) have the shape of the real error bodies and their status codes', async () => {
    const badKey = await tmdb(`/movie/${matrix.tmdbId}`, {}, 'not-a-token');
    const unknown = await tmdb('/movie/999999999');
    expect(badKey).toMatchObject({ status: 401, data: { status_code: 7, success: false } });
    expect(unknown).toMatchObject({ status: 404, data: { status_code: 34, success: false } });
    expectSameShape(
      'tmdb errors',
      [badKey.data, unknown.data],
      real('tmdb/errors').map((r) => r.body),
    );
  });
});

describe('twin fidelity: OMDb', () => {
  it('a hit by id and by title has the shape of the real found recordings', async () => {
    const answers = await Promise.all([
      omdb({ i: matrix.imdbId, plot: 'short' }),
      omdb({ t: 'Princess Mononoke', type: 'movie', plot: 'short' }),
      omdb({ i: undated.imdbId }),
    ]);
    for (const a of answers) expect(a).toMatchObject({ status: 200, data: { Response: 'True' } });
    expectSameShape(
      'omdb found',
      answers.map((a) => a.data),
      real('omdb/found').map((r) => r.body),
    );
  });

  it('an unknown well-formed id answers "Error getting data." with 200, as the real OMDb does', async () => {
    const miss = await omdb({ i: 'tt9999999', plot: 'short' });
    const recorded = real('omdb/errors', (f) => f.includes('error-getting-data'))[0]?.body;
    expect(miss).toEqual({ status: 200, data: recorded });
  });

  it('misses and errors have the shape of the real error bodies, with the recorded messages and statuses', async () => {
    const answers = await Promise.all([
      omdb({ i: 'tt9999999' }),
      omdb({ t: 'Meen of Stal', type: 'movie' }),
      omdb({ i: matrix.imdbId }, 'bad-key'),
      get(twin.urls.omdb, '', { i: matrix.imdbId }),
    ]);
    expect(answers.map((a) => [a.status, (a.data as { Error?: string }).Error])).toEqual([
      [200, 'Error getting data.'],
      [200, 'Movie not found!'],
      [401, 'Invalid API key!'],
      [401, 'No API key provided.'],
    ]);
    expectSameShape(
      'omdb errors',
      answers.map((a) => a.data),
      real('omdb/errors').map((r) => r.body),
    );
  });
});

describe('twin fidelity: IMDb pages', () => {
  const realPages = fixtureFiles('imdb').map((file) => pageBlocks(readFixtureJsonText(file)));

  it('JSON-LD has the real shape: name is the original title, relative url, director always an array, at most 3 genres', async () => {
    const pages = await Promise.all([mononoke, matrix, undated].map(page));
    const blocks = pages.map(pageBlocks);
    expectSameShape(
      'imdb JSON-LD',
      blocks.map((b) => b.jsonLd),
      realPages.map((p) => p.jsonLd),
    );
    const [m, x] = blocks.map((b) => b.jsonLd ?? {});
    expect(m).toMatchObject({
      name: 'Mononoke-hime',
      alternateName: 'Princess Mononoke',
      url: `/title/${mononoke.imdbId}/`,
    });
    expect((m?.genre as string[]).length).toBe(3);
    expect(Array.isArray(m?.director)).toBe(true);
    expect(x).not.toHaveProperty('alternateName');
    for (const p of realPages)
      expect(((p.jsonLd?.genre as string[] | undefined) ?? []).length).toBeLessThanOrEqual(3);
  });

  it('__NEXT_DATA__ has the real shape where the parser reads it: titles, year, credits, countriesOfOrigin, akas', async () => {
    const pages = await Promise.all([mononoke, matrix, undated].map(page));
    const blocks = pages.map((p) => pageBlocks(p).nextData);
    expectSameShape(
      'imdb __NEXT_DATA__',
      blocks.map(readSet),
      realPages.map((p) => readSet(p.nextData)),
    );
    const [m, , u] = blocks.map((b) => readSet(b) as Record<string, Record<string, unknown>>);
    expect(m?.aboveTheFoldData?.genres).toMatchObject({
      genres: expect.arrayContaining([{ text: 'Fantasy', id: 'Fantasy' }]),
    });
    // An undated, in-development title: the Directors category is there, its credits are empty.
    expect(u?.mainColumnData?.directors).toEqual([expect.objectContaining({ credits: [] })]);
    expect(u?.aboveTheFoldData?.releaseYear).toBeNull();
    expect(u?.aboveTheFoldData?.ratingsSummary).toEqual({ aggregateRating: null, voteCount: 0 });
  });
});

describe('twin fidelity: Zyte', () => {
  it('an extract answer has the shape of the real (vendor and wrapped) extract bodies', async () => {
    const answer = await zyte(`https://www.imdb.com/title/${matrix.imdbId}/`);
    expectSameShape(
      'zyte extract',
      [answer],
      real('zyte').map((r) => r.body),
    );
  });
});

function readFixtureJsonText(file: string): string {
  return readFixtureJsonRaw(file);
}
import { readFixture } from '../helpers/real-fixtures.js';
function readFixtureJsonRaw(file: string): string {
  return readFixture(file).toString('utf8');
}
