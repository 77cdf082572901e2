import type { FastifyInstance } from 'fastify';
import type { Filter } from 'mongodb';
import { collectionNames } from '../../persistence/collections.js';
import type { StoredMovie } from '../../persistence/movie-merge.js';
import { html } from '../html.js';
import { announcedEvents, lookupHistory, lookupIdentifiers } from '../movie-history.js';
import type { RouteContext } from '../context.js';
import { page } from '../views/layout.js';
import { moviePage, moviesPage } from '../views/movies.js';
import { singleBatch } from '../../persistence/single-batch.js';

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Movies by an ID (tt…, a TMDb number, a movie key) or by part of a title. */
async function searchMovies(ctx: RouteContext, q: string): Promise<StoredMovie[]> {
  const movies = ctx.deps.db.collection<StoredMovie>(collectionNames.movies);
  const exact = await ctx.deps.review.movies.get(q);
  let filter: Filter<StoredMovie>;
  if (/^tt\d{7,10}$/.test(q)) filter = { imdbId: q };
  else if (/^\d{1,10}$/.test(q)) filter = { tmdbId: Number(q) };
  else {
    const pattern = { $regex: escapeRegex(q.slice(0, 200)), $options: 'i' };
    filter = { $or: [{ title: pattern }, { originalTitle: pattern }] };
  }
  const found = await movies.find(filter, { projection: { _id: 0 }, ...singleBatch(100) }).toArray();
  return [...(exact === null ? [] : [exact]), ...found.filter((m) => m.key !== exact?.key)];
}

export function registerMovieRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { q?: string } }>('/movies', async (request, reply) => {
    const q = typeof request.query.q === 'string' ? request.query.q.trim() : '';
    const movies = q === '' ? [] : await searchMovies(ctx, q);
    const pc = ctx.page(request, reply, 'movies');
    return reply
      .type('text/html; charset=utf-8')
      .send(page(pc, 'Movies', moviesPage(q, movies, q !== '')).value);
  });

  app.get<{ Querystring: { key?: string } }>('/movie', async (request, reply) => {
    const key = typeof request.query.key === 'string' ? request.query.key : '';
    const { movies, nominations, reviews } = ctx.deps.review;
    const movie = key === '' ? null : await movies.get(key);
    const pc = ctx.page(request, reply, 'movies');
    if (movie === null)
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(
          page(
            pc,
            'Movie not found',
            html`<p class="empty">
              no movie with the key <code>${key}</code> · <a href="/movies">search</a>
            </p>`,
          ).value,
        );
    const noms = (await nominations?.findByMovie(movie.key)) ?? [];
    const [review, events, lookups] = await Promise.all([
      // The item keeps the key the movie had when it was opened (a title key before its IMDb ID).
      (async () => {
        for (const key of [movie.key, ...(movie.aliasKeys ?? [])]) {
          const item = await reviews.get(key);
          if (item !== null) return item;
        }
        return null;
      })(),
      announcedEvents(ctx.deps.db, movie.key, movie.aliasKeys ?? []),
      lookupHistory(ctx.deps.db, lookupIdentifiers(movie, noms)),
    ]);
    return reply
      .type('text/html; charset=utf-8')
      .send(page(pc, movie.title, moviePage({ movie, nominations: noms, review, events, lookups })).value);
  });
}
