import { imdbReleaseDate } from './catalog.js';
import { countryName, languageName } from './display-names.js';
import { hashString } from './prng.js';
import type { WorldFilm } from './world.js';

/**
 * IMDb title pages (https://www.imdb.com/title/tt…/) as the twin renders them for Zyte:
 * a JSON-LD `Movie` block whose `name` carries HTML entities (&amp; &apos; &quot;), and a
 * Next.js `__NEXT_DATA__` block with aboveTheFoldData / mainColumnData, the two places a
 * scraper reads. A blocked fetch gets IMDb's bot challenge: neither block.
 */

/** The only pages the twin serves: what the adapters are allowed to build from a validated ID. */
export const imdbTitleUrl = /^https:\/\/www\.imdb\.com\/title\/(tt\d{7,10})\/?$/;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** JSON inside <script> must never contain "</script>". */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** ISO 8601 duration as IMDb writes it: PT1H48M, PT2H, PT45M. */
export function isoDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h > 0 ? `${h}H` : ''}${m > 0 || h === 0 ? `${m}M` : ''}`;
}

function personId(name: string): string {
  return `nm${String(hashString(name) % 10_000_000).padStart(7, '0')}`;
}

function person(name: string): Record<string, string> {
  return { '@type': 'Person', url: `https://www.imdb.com/name/${personId(name)}/`, name: escapeHtml(name) };
}

function jsonLd(film: WorldFilm): Record<string, unknown> {
  const date = imdbReleaseDate(film);
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Movie',
    url: `https://www.imdb.com/title/${film.imdbId}/`,
    name: escapeHtml(film.title),
  };
  if (film.originalTitle !== film.title) ld.alternateName = escapeHtml(film.originalTitle);
  ld.image = `https://m.media-amazon.com/images/M/${film.imdbId}twin._V1_.jpg`;
  if (film.plot) ld.description = escapeHtml(film.plot);
  if (film.rating) ld.aggregateRating = { '@type': 'AggregateRating', ratingCount: film.rating.votes, bestRating: 10, worstRating: 1, ratingValue: film.rating.value };
  ld.genre = film.genres;
  if (date) ld.datePublished = date;
  ld.actor = film.cast.slice(0, 3).map(person);
  if (film.directors.length === 1) ld.director = person(film.directors[0] ?? '');
  else if (film.directors.length > 1) ld.director = film.directors.map(person);
  if (film.runtimeMinutes) ld.duration = isoDuration(film.runtimeMinutes);
  return ld;
}

function nameCredit(name: string): Record<string, unknown> {
  return { name: { id: personId(name), nameText: { text: name } } };
}

function nextData(film: WorldFilm): Record<string, unknown> {
  const date = imdbReleaseDate(film);
  const akas = [...new Set([film.originalTitle, ...film.tmdb.alternativeTitles.map((t) => t.title)])].filter((t) => t !== film.title);
  const countries = film.countries.map((c) => ({ id: c, text: countryName(c) }));
  const aboveTheFoldData = {
    id: film.imdbId,
    productionStatus: { currentProductionStage: { id: film.rating ? 'released' : 'post_production', text: film.rating ? 'Released' : 'Post-production' } },
    titleType: { id: 'movie', text: 'Movie', isSeries: false, isEpisode: false },
    titleText: { text: film.title },
    originalTitleText: { text: film.originalTitle },
    releaseYear: { year: film.releaseYear, endYear: null },
    releaseDate: date ? { day: Number(date.slice(8, 10)), month: Number(date.slice(5, 7)), year: Number(date.slice(0, 4)), country: { id: film.countries[0] ?? 'US' } } : null,
    runtime: film.runtimeMinutes ? { seconds: film.runtimeMinutes * 60, displayableProperty: { value: { plainText: `${Math.floor(film.runtimeMinutes / 60)}h ${film.runtimeMinutes % 60}m` } } } : null,
    ratingsSummary: { aggregateRating: film.rating?.value ?? null, voteCount: film.rating?.votes ?? 0 },
    genres: { genres: film.genres.map((g) => ({ text: g, id: g })) },
    plot: film.plot ? { plotText: { plainText: film.plot }, language: { id: 'en-US' } } : null,
    directorsPageTitle: [{ credits: film.directors.map(nameCredit) }],
    countriesOfOrigin: { countries },
    castPageTitle: { edges: film.cast.slice(0, 4).map((n) => ({ node: nameCredit(n) })) },
  };
  const mainColumnData = {
    id: film.imdbId,
    akas: { edges: akas.map((text) => ({ node: { text } })) },
    directors: [{ totalCredits: film.directors.length, category: { text: film.directors.length > 1 ? 'Directors' : 'Director' }, credits: film.directors.map(nameCredit) }],
    cast: { edges: film.cast.map((n) => ({ node: { ...nameCredit(n), characters: [] } })) },
    countriesDetails: { countries },
    spokenLanguages: { spokenLanguages: film.languages.map((l) => ({ id: l, text: languageName(l) })) },
    runtime: aboveTheFoldData.runtime,
  };
  return { props: { pageProps: { tconst: film.imdbId, aboveTheFoldData, mainColumnData, urqlState: null, fetchState: null }, __N_SSP: true }, page: '/title/[tconst]', query: { tconst: film.imdbId }, buildId: 'twin', isFallback: false, gssp: true };
}

/** The title page of a film IMDb has. */
export function renderTitlePage(film: WorldFilm): string {
  const title = escapeHtml(film.title);
  return [
    '<!DOCTYPE html><html lang="en-US" xmlns:og="http://opengraphprotocol.org/schema/"><head><meta charset="utf-8"/>',
    `<title>${title} (${film.releaseYear}) - IMDb</title>`,
    `<meta property="og:title" content="${title} (${film.releaseYear}) ⭐ ${film.rating ? film.rating.value.toFixed(1) : ''} | ${escapeHtml(film.genres.join(', '))}"/>`,
    `<meta name="description" content="${escapeHtml(film.plot)}"/>`,
    `<script type="application/ld+json">${scriptJson(jsonLd(film))}</script>`,
    '</head><body id="styleguide-v2"><div id="__next"><main role="main">',
    `<h1 textlength="${film.title.length}" data-testid="hero__pageTitle"><span class="hero__primary-text" data-testid="hero__primary-text">${title}</span></h1>`,
    film.originalTitle !== film.title ? `<div class="sc-original-title">Original title: ${escapeHtml(film.originalTitle)}</div>` : '',
    `<span role="presentation" data-testid="plot-xl">${escapeHtml(film.plot)}</span>`,
    '</main></div>',
    `<script id="__NEXT_DATA__" type="application/json">${scriptJson(nextData(film))}</script>`,
    '</body></html>',
  ].join('\n');
}

/** What IMDb answers a scraper it has spotted: a JavaScript challenge, no data. */
export function renderChallengePage(): string {
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title></title>',
    '<script type="text/javascript">window.awsWafCookieDomainList = [];window.gokuProps = {"key":"twin","iv":"twin","context":"twin"};</script>',
    '<script src="https://ab1c2d3e4f5a.edge.sdk.awswaf.com/ab1c2d3e4f5a/challenge.js"></script>',
    '</head><body><div id="challenge-container"></div>',
    '<noscript><h1>JavaScript is disabled</h1>In order to continue, we need to verify that you\'re not a robot. This requires JavaScript.</noscript>',
    '<script>AwsWafIntegration.checkForceRefresh().then((f)=>{if(f){location.reload(true)}else{AwsWafIntegration.getToken().then(()=>{location.reload(true)})}});</script>',
    '</body></html>',
  ].join('\n');
}

/** IMDb's 404 page for an unknown title. */
export function renderNotFoundPage(): string {
  return '<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"/><title>404 Error - IMDb</title></head><body><div id="__next"><main><h1>404 Error</h1><p>The requested URL was not found on our server.</p></main></div></body></html>';
}
