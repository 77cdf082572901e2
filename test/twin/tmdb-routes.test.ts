import { describe, expect, it } from 'vitest';
import { startTestTwin, twinFilm, twinWorld } from '../helpers/twin.js';

async function get(
  url: string,
  token?: string,
): Promise<{ status: number; body: ReturnType<typeof JSON.parse>; headers: Headers }> {
  const res = await fetch(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), headers: res.headers };
}

describe('twin TMDb routes', () => {
  it('when a linked film is found by IMDb ID, then movie_results holds it and the other lists are empty', async () => {
    const film = twinFilm({ title: 'Anatomy of a Fall', originalTitle: 'Anatomie d’une chute' });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const { status, body } = await get(
      `${twin.urls.tmdb}/find/${film.imdbId}?external_source=imdb_id`,
      twin.keys.tmdbToken,
    );
    expect(status).toBe(200);
    expect(body.movie_results).toHaveLength(1);
    expect(body.movie_results[0]).toMatchObject({
      id: film.tmdbId,
      title: 'Anatomy of a Fall',
      original_title: 'Anatomie d’une chute',
      release_date: '2023-05-24',
    });
    expect(body).toMatchObject({
      person_results: [],
      tv_results: [],
      tv_episode_results: [],
      tv_season_results: [],
    });
    expect(twin.counts()['tmdb.find']).toBe(1);
  });

  it('when the film is present but its IMDb ID is not linked, then find answers 200 with no results and details carry imdb_id null', async () => {
    const film = twinFilm({ tmdb: { imdbLinked: false } });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const find = await get(
      `${twin.urls.tmdb}/find/${film.imdbId}?external_source=imdb_id&api_key=${twin.keys.tmdbApiKey}`,
    );
    expect(find.status).toBe(200);
    expect(find.body.movie_results).toEqual([]);
    const details = await get(
      `${twin.urls.tmdb}/movie/${film.tmdbId}?append_to_response=external_ids,credits`,
      twin.keys.tmdbToken,
    );
    expect(details.body.imdb_id).toBeNull();
    expect(details.body.external_ids.imdb_id).toBeNull();
    expect(details.body.credits.crew[0]).toMatchObject({
      name: 'Ada Director',
      job: 'Director',
      department: 'Directing',
    });
  });

  it('when searching without accents and in another case, then the film is found by original and alternative titles', async () => {
    const film = twinFilm({
      title: 'The Girls We Want',
      originalTitle: 'Les Filles désirées',
      tmdb: { alternativeTitles: [{ iso_3166_1: 'US', title: 'Desired Daughters', type: '' }] },
    });
    const other = twinFilm({ title: 'Other Girls' });
    const twin = await startTestTwin({ world: twinWorld([film, other]) });
    const byOriginal = await get(
      `${twin.urls.tmdb}/search/movie?query=${encodeURIComponent('les filles desirees')}&include_adult=false`,
      twin.keys.tmdbToken,
    );
    expect(byOriginal.body.results).toHaveLength(1);
    expect(byOriginal.body.results[0]).toMatchObject({ id: film.tmdbId });
    expect(byOriginal.body).toMatchObject({ page: 1, total_pages: 1, total_results: 1 });
    const byAlt = await get(`${twin.urls.tmdb}/search/movie?query=desired%20daughters`, twin.keys.tmdbToken);
    expect(byAlt.body.results).toHaveLength(1);
    const girls = await get(`${twin.urls.tmdb}/search/movie?query=girls`, twin.keys.tmdbToken);
    expect(girls.body.total_results).toBe(2);
  });

  it('when primary_release_year differs from the release date, then the film is filtered out, but year matches the festival premiere', async () => {
    const film = twinFilm({
      title: 'Meteors',
      festivalYear: 2025,
      releaseYear: 2026,
      tmdb: { releaseDate: '2026-01-10' },
    });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const primary = await get(
      `${twin.urls.tmdb}/search/movie?query=meteors&primary_release_year=2025`,
      twin.keys.tmdbToken,
    );
    expect(primary.body.total_results).toBe(0);
    const anyYear = await get(`${twin.urls.tmdb}/search/movie?query=meteors&year=2025`, twin.keys.tmdbToken);
    expect(anyYear.body.total_results).toBe(1);
  });

  it('when more than 20 films match, then results come 20 per page', async () => {
    const films = Array.from({ length: 25 }, (_, i) => twinFilm({ title: `Summer ${i}` }));
    const twin = await startTestTwin({ world: twinWorld(films) });
    const page2 = await get(`${twin.urls.tmdb}/search/movie?query=summer&page=2`, twin.keys.tmdbToken);
    expect(page2.body).toMatchObject({ page: 2, total_pages: 2, total_results: 25 });
    expect(page2.body.results).toHaveLength(5);
  });

  it('when details are asked with every append, then each appended part has the real shape', async () => {
    const film = twinFilm({
      tmdb: { alternativeTitles: [{ iso_3166_1: 'DE', title: 'Ein Film', type: '' }] },
    });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const { body } = await get(
      `${twin.urls.tmdb}/movie/${film.tmdbId}?append_to_response=credits,external_ids,alternative_titles,release_dates`,
      twin.keys.tmdbToken,
    );
    expect(body).toMatchObject({
      id: film.tmdbId,
      imdb_id: film.imdbId,
      runtime: 108,
      original_language: 'fr',
      genres: [{ id: 18, name: 'Drama' }],
    });
    expect(body.alternative_titles.titles).toEqual([{ iso_3166_1: 'DE', title: 'Ein Film', type: '' }]);
    expect(body.credits.cast[0]).toMatchObject({ name: 'Bea Actor', order: 0 });
    expect(body.release_dates.results.length).toBeGreaterThan(0);
    expect(body.production_countries).toEqual([{ iso_3166_1: 'FR', name: 'France' }]);
  });

  it('when the movie id is unknown, then 404 with status_code 34', async () => {
    const twin = await startTestTwin({ world: twinWorld([]) });
    const { status, body } = await get(`${twin.urls.tmdb}/movie/123`, twin.keys.tmdbToken);
    expect(status).toBe(404);
    expect(body).toEqual({
      success: false,
      status_code: 34,
      status_message: 'The resource you requested could not be found.',
    });
  });

  it('when the key is wrong or missing, then 401 with status_code 7', async () => {
    const twin = await startTestTwin();
    for (const res of [
      await get(`${twin.urls.tmdb}/search/movie?query=x`, 'wrong'),
      await get(`${twin.urls.tmdb}/search/movie?query=x`),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ success: false, status_code: 7 });
    }
  });
});
