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
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
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

/** JSON-LD people carry a relative url, as on the real pages. */
function person(name: string): Record<string, string> {
  return { '@type': 'Person', url: `/name/${personId(name)}/`, name: escapeHtml(name) };
}

/**
 * A title whose page is that of a film in development: no rating, no runtime. IMDb then
 * withholds the year, the release date and the credits (the Directors category is there
 * with an empty credits list), as on the recorded in-development page.
 */
function inDevelopment(film: WorldFilm): boolean {
  return film.rating === null && film.runtimeMinutes === null;
}

/**
 * JSON-LD as on the recorded pages (2022–2023): `name` is the ORIGINAL title and
 * `alternateName` the localized one (only when they differ), `url` is relative, `director`
 * and `actor` are always arrays, `genre` lists at most 3, `datePublished` is one country's
 * release date. An in-development title has name, genre and keywords only.
 */
function jsonLd(film: WorldFilm): Record<string, unknown> {
  const date = imdbReleaseDate(film);
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Movie',
    url: `/title/${film.imdbId}/`,
    name: escapeHtml(film.originalTitle),
  };
  if (film.originalTitle !== film.title) ld.alternateName = escapeHtml(film.title);
  const developing = inDevelopment(film);
  if (!developing) {
    ld.image = `https://m.media-amazon.com/images/M/${film.imdbId}twin._V1_.jpg`;
    if (film.plot) ld.description = escapeHtml(film.plot);
  }
  if (film.rating)
    ld.aggregateRating = {
      '@type': 'AggregateRating',
      ratingCount: film.rating.votes,
      bestRating: 10,
      worstRating: 1,
      ratingValue: film.rating.value,
    };
  ld.genre = film.genres.slice(0, 3);
  ld.keywords = film.genres.map((g) => g.toLowerCase()).join(',') || 'film';
  if (developing) return ld;
  if (date) ld.datePublished = date;
  if (film.cast.length > 0) ld.actor = film.cast.slice(0, 3).map(person);
  if (film.directors.length > 0) ld.director = film.directors.map(person);
  if (film.runtimeMinutes) ld.duration = isoDuration(film.runtimeMinutes);
  return ld;
}

/** A credit in aboveTheFoldData: the name's text only. */
function shortCredit(name: string): Record<string, unknown> {
  return { name: { nameText: { text: name } } };
}

/** A credit in mainColumnData: with the person's id. */
function nameCredit(name: string): Record<string, unknown> {
  return { name: { id: personId(name), nameText: { text: name } }, attributes: null };
}

function castEdge(name: string): Record<string, unknown> {
  return {
    node: {
      name: { id: personId(name), nameText: { text: name }, primaryImage: null },
      attributes: null,
      characters: [{ name: 'Self' }],
      episodeCredits: { total: 0, yearRange: null },
    },
  };
}

function titleTypeOf(): Record<string, unknown> {
  return {
    text: 'Movie',
    id: 'movie',
    isSeries: false,
    isEpisode: false,
    categories: [{ value: 'movie' }],
    canHaveEpisodes: false,
  };
}

function image(film: WorldFilm): Record<string, unknown> {
  return {
    id: `rm${String(hashString(film.imdbId) % 10_000_000_000).padStart(10, '0')}`,
    width: 1000,
    height: 1500,
    url: `https://m.media-amazon.com/images/M/${film.imdbId}twin._V1_.jpg`,
    caption: { plainText: `${film.title} (${film.releaseYear})` },
  };
}

/** `__NEXT_DATA__` with the shapes of the recorded pages where a scraper reads them. */
function nextData(film: WorldFilm): Record<string, unknown> {
  const developing = inDevelopment(film);
  const date = developing ? null : imdbReleaseDate(film);
  const akas = [...new Set(film.tmdb.alternativeTitles.map((t) => t.title))].filter(
    (t) => t !== film.title && t !== film.originalTitle,
  );
  const released = film.rating !== null;
  const stage = developing
    ? { id: 'in_development', text: 'In Development' }
    : released
      ? { id: 'released', text: 'Released' }
      : { id: 'post_production', text: 'Post-production' };
  const runtime = !developing && film.runtimeMinutes ? { seconds: film.runtimeMinutes * 60 } : null;
  const directors = developing ? [] : film.directors;
  const cast = developing ? [] : film.cast;
  const releaseYear = developing ? null : { year: film.releaseYear, endYear: null };
  const releaseDay = date
    ? { day: Number(date.slice(8, 10)), month: Number(date.slice(5, 7)), year: Number(date.slice(0, 4)) }
    : null;
  const aboveTheFoldData = {
    id: film.imdbId,
    productionStatus: {
      currentProductionStage: stage,
      productionStatusHistory: developing
        ? null
        : [{ status: { id: 'pre_production', text: 'Pre-production' } }, { status: stage }],
      restriction: developing ? { restrictionReason: ['PRO_IN_DEV_TITLE'], unrestrictedTotal: 1 } : null,
    },
    titleType: titleTypeOf(),
    titleText: { text: film.title },
    originalTitleText: { text: film.originalTitle },
    releaseYear,
    releaseDate: releaseDay,
    runtime: runtime
      ? {
          ...runtime,
          displayableProperty: {
            value: { plainText: `${Math.floor(runtime.seconds / 3600)}h ${(runtime.seconds / 60) % 60}m` },
          },
        }
      : null,
    ratingsSummary: { aggregateRating: film.rating?.value ?? null, voteCount: film.rating?.votes ?? 0 },
    primaryImage: developing ? null : image(film),
    genres: { genres: film.genres.map((g) => ({ text: g, id: g })) },
    plot: {
      plotText: !developing && film.plot ? { plainText: film.plot } : null,
      language: !developing && film.plot ? { id: 'en-US' } : null,
    },
    directorsPageTitle: [{ credits: directors.map(shortCredit) }],
    countriesOfOrigin: { countries: film.countries.slice(0, 1).map((c) => ({ id: c })) },
    castPageTitle: { edges: cast.slice(0, 4).map((n) => ({ node: shortCredit(n) })) },
  };
  const mainColumnData = {
    id: film.imdbId,
    titleType: { id: 'movie', canHaveEpisodes: false },
    titleText: { text: film.title },
    originalTitleText: { text: film.originalTitle },
    releaseYear: releaseYear ? { year: releaseYear.year } : null,
    releaseDate: releaseDay
      ? {
          ...releaseDay,
          country: { id: film.countries[0] ?? 'US', text: countryName(film.countries[0] ?? 'US') },
        }
      : null,
    akas: { edges: akas.map((text) => ({ node: { text } })) },
    // The category and its total stay when the credits are withheld (in development).
    directors:
      film.directors.length > 0 || developing
        ? [
            {
              totalCredits: Math.max(1, film.directors.length),
              category: { text: film.directors.length > 1 || developing ? 'Directors' : 'Director' },
              credits: directors.map(nameCredit),
            },
          ]
        : [],
    cast: { edges: cast.map(castEdge) },
    countriesOfOrigin: { countries: film.countries.map((c) => ({ id: c, text: countryName(c) })) },
    spokenLanguages:
      developing || film.languages.length === 0
        ? null
        : { spokenLanguages: film.languages.map((l) => ({ id: l, text: languageName(l) })) },
    runtime,
  };
  return {
    props: {
      pageProps: { tconst: film.imdbId, aboveTheFoldData, mainColumnData, urqlState: null, fetchState: null },
      __N_SSP: true,
    },
    page: '/title/[tconst]',
    query: { tconst: film.imdbId },
    buildId: 'twin',
    isFallback: false,
    gssp: true,
  };
}

/** The title page of a film IMDb has. */
export function renderTitlePage(film: WorldFilm): string {
  const title = escapeHtml(film.title);
  return [
    '<!DOCTYPE html><html lang="en-US" xmlns:og="http://opengraphprotocol.org/schema/"><head><meta charset="utf-8"/>',
    inDevelopment(film)
      ? `<title>${title} - IMDb</title>`
      : `<title>${title} (${film.releaseYear}) - IMDb</title>`,
    `<meta property="og:title" content="${title} (${film.releaseYear}) ⭐ ${film.rating ? film.rating.value.toFixed(1) : ''} | ${escapeHtml(film.genres.join(', '))}"/>`,
    `<meta name="description" content="${escapeHtml(film.plot)}"/>`,
    `<script type="application/ld+json">${scriptJson(jsonLd(film))}</script>`,
    '</head><body id="styleguide-v2"><div id="__next"><main role="main">',
    `<h1 textlength="${film.title.length}" data-testid="hero__pageTitle"><span class="hero__primary-text" data-testid="hero__primary-text">${title}</span></h1>`,
    film.originalTitle !== film.title
      ? `<div class="sc-original-title">Original title: ${escapeHtml(film.originalTitle)}</div>`
      : '',
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
    "<noscript><h1>JavaScript is disabled</h1>In order to continue, we need to verify that you're not a robot. This requires JavaScript.</noscript>",
    '<script>AwsWafIntegration.checkForceRefresh().then((f)=>{if(f){location.reload(true)}else{AwsWafIntegration.getToken().then(()=>{location.reload(true)})}});</script>',
    '</body></html>',
  ].join('\n');
}

/** IMDb's 404 page for an unknown title. */
export function renderNotFoundPage(): string {
  return '<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"/><title>404 Error - IMDb</title></head><body><div id="__next"><main><h1>404 Error</h1><p>The requested URL was not found on our server.</p></main></div></body></html>';
}
