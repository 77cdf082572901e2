import type { StoredMovie } from '../../persistence/movie-merge.js';
import { html, safeUrl, type Html } from '../html.js';

/** A movie's identity and state in a few lines: import type, IDs, sources, locks. */
export function movieSummary(movie: StoredMovie): Html {
  const poster = safeUrl(movie.data?.posterUrl);
  return html`<div class="movie-summary" data-testid="movie-summary">
    ${poster === undefined ? '' : html`<img class="poster-small" src="${poster}" alt="poster of ${movie.title}" loading="lazy" referrerpolicy="no-referrer" />`}
    <dl class="facts">
      <dt>title</dt>
      <dd>
        ${movie.title}${movie.year === undefined ? '' : html` <span class="muted">(${movie.year})</span>`}
      </dd>
      <dt>import type</dt>
      <dd>
        <span class="badge type-${movie.importType}" data-testid="import-type">${movie.importType}</span>
      </dd>
      <dt>source hierarchy</dt>
      <dd data-testid="hierarchy">${movie.dataSourceHierarchy.join(' › ') || '—'}</dd>
      <dt>IMDb / TMDb</dt>
      <dd>
        <span data-testid="movie-imdb">${movie.imdbId ?? '—'}</span> /
        <span data-testid="movie-tmdb">${movie.tmdbId ?? '—'}</span>
      </dd>
      <dt>confidence</dt>
      <dd>${movie.confidence.toFixed(2)}</dd>
      <dt>locked</dt>
      <dd data-testid="locked">${movie.locked.join(', ') || '—'}</dd>
      <dt>last enrichment</dt>
      <dd>${movie.lastEnrichmentAttempt?.toISOString() ?? 'never'}</dd>
    </dl>
  </div>`;
}
