import type { LookupMetricDocument } from '../../persistence/lookup-metrics-repository.js';
import type { StoredMovie } from '../../persistence/movie-merge.js';
import type { NominationDocument } from '../../persistence/nominations-repository.js';
import type { ReviewItem } from '../../persistence/review-queue-repository.js';
import { html, type Html } from '../html.js';
import type { AnnouncedEvent } from '../movie-history.js';
import { movieSummary } from './movie-summary.js';

/** The movies pages: a search, and one movie with its nominations and lookup history. */

const movieLink = (key: string): string => `/movie?key=${encodeURIComponent(key)}`;

export function moviesPage(q: string, movies: readonly StoredMovie[], searched: boolean): Html {
  return html`<form class="filters" method="get" action="/movies">
      <label
        >title, IMDb id, TMDb id or movie key
        <input name="q" value="${q}" size="40" data-testid="movie-search" autofocus
      /></label>
      <button type="submit">Search</button>
    </form>
    ${
      !searched
        ? html`<p class="muted">search by a title (part of it is enough), tt…, a TMDb id or a movie key</p>`
        : movies.length === 0
          ? html`<p class="empty">no movie matches</p>`
          : html`<table class="grid" data-testid="movie-results">
              <thead>
                <tr>
                  <th>title</th>
                  <th>year</th>
                  <th>import type</th>
                  <th>sources</th>
                  <th>IMDb</th>
                  <th>TMDb</th>
                </tr>
              </thead>
              <tbody>
                ${movies.map(
                  (m) =>
                    html`<tr>
                      <td>
                        <a href="${movieLink(m.key)}">${m.title}</a
                        >${m.originalTitle !== undefined && m.originalTitle !== m.title ? html` <span class="muted">${m.originalTitle}</span>` : ''}
                      </td>
                      <td>${m.year ?? '—'}</td>
                      <td><span class="badge type-${m.importType}">${m.importType}</span></td>
                      <td>${m.dataSourceHierarchy.join(' › ') || '—'}</td>
                      <td>${m.imdbId ?? '—'}</td>
                      <td>${m.tmdbId ?? '—'}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }`;
}

export interface MovieDetails {
  movie: StoredMovie;
  nominations: NominationDocument[];
  review: ReviewItem | null;
  events: AnnouncedEvent[];
  lookups: LookupMetricDocument[];
}

function lookupRows(lookups: readonly LookupMetricDocument[]): Html {
  if (lookups.length === 0)
    return html`<p class="muted">no upstream lookup recorded for this movie's IDs or titles</p>`;
  return html`<table class="grid" data-testid="lookup-history">
    <thead>
      <tr>
        <th>when</th>
        <th>source</th>
        <th>operation</th>
        <th>identifier</th>
        <th>strategy</th>
        <th>tier</th>
        <th>ok</th>
        <th>found</th>
        <th>ms</th>
        <th>cost</th>
        <th>fell through because</th>
        <th>error</th>
      </tr>
    </thead>
    <tbody>
      ${lookups.map(
        (l) =>
          html`<tr>
            <td>${l.inserted_at.toISOString()}</td>
            <td>${l.source}</td>
            <td>${l.operation}</td>
            <td>${l.identifier}</td>
            <td>${l.metadata.strategy}</td>
            <td>${l.metadata.fallback_level}</td>
            <td>${l.success ? 'yes' : html`<span class="bad">no</span>`}</td>
            <td>${l.metadata.movie_found ? 'yes' : 'no'}</td>
            <td>${Math.round(l.response_time_ms)}</td>
            <td>$${l.metadata.cost_usd.toFixed(4)}</td>
            <td>${l.metadata.reason_for_fallback ?? ''}</td>
            <td>${l.error_message ?? ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function moviePage(d: MovieDetails): Html {
  const { movie, review } = d;
  return html`<div class="columns">
      <section>
        ${movieSummary(movie)}
        <dl class="facts">
          <dt>movie key</dt>
          <dd><code>${movie.key}</code></dd>
          <dt>needs enrichment</dt>
          <dd>${movie.needsEnrichment ? 'yes' : 'no'}</dd>
          <dt>created / updated</dt>
          <dd>${movie.createdAt.toISOString()} / ${movie.updatedAt.toISOString()}</dd>
          <dt>review</dt>
          <dd>
            ${review === null ? '—' : html`<a href="/review?status=${review.status}">${review.status}</a> (${review.reason})`}
          </dd>
          ${
            movie.data === undefined
              ? ''
              : html`<dt>directors</dt>
                  <dd>${movie.data.directors.join(', ') || '—'}</dd>
                  <dt>genres</dt>
                  <dd>${movie.data.genres.join(', ') || '—'}</dd>
                  <dt>runtime</dt>
                  <dd>${movie.data.runtimeMinutes ?? '—'} min</dd>`
          }
        </dl>
      </section>
      <section>
        <h3>Nominations (${d.nominations.length})</h3>
        <table class="grid" data-testid="movie-nominations">
          <thead>
            <tr>
              <th>festival</th>
              <th>edition</th>
              <th>category</th>
              <th>title as nominated</th>
              <th>year</th>
              <th>won</th>
            </tr>
          </thead>
          <tbody>
            ${d.nominations.map(
              (n) =>
                html`<tr>
                  <td>${n.festival}</td>
                  <td>${n.editionYear}</td>
                  <td>${n.category}</td>
                  <td>${n.film.title}</td>
                  <td>${n.film.year ?? '—'}</td>
                  <td>${n.won ? 'yes' : ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <h3>Events announced</h3>
        <ul class="events">
          ${d.events.length === 0 ? html`<li class="muted">none</li>` : d.events.map((e) => html`<li>${e.topic} · ${e.state}</li>`)}
        </ul>
      </section>
    </div>
    <h2>Lookup history (api_lookup_metrics, newest first)</h2>
    ${lookupRows(d.lookups)}`;
}
