import * as cheerio from 'cheerio';
import {
  imdbJsonLdSchema,
  imdbNextDataSchema,
  type ImdbJsonLd,
  type ImdbNextData,
} from './imdb-page-schemas.js';

/** What an IMDb title page says about its film. */
export interface ImdbPageData {
  imdbId?: string;
  title: string;
  originalTitle?: string;
  alternativeTitles: string[];
  year?: number;
  releaseDate?: string;
  /** Country of `releaseDate` (IMDb shows one country's date). */
  releaseCountry?: string;
  runtimeMinutes?: number;
  /** `titleType.id`: movie, short, tvMovie, tvSeries, tvEpisode… */
  titleType?: string;
  /** Every genre of `__NEXT_DATA__` (JSON-LD keeps at most 3). */
  genres: string[];
  directors: string[];
  cast: string[];
  countries: string[];
  languages: string[];
  plot?: string;
  rating?: { value: number; votes?: number };
  posterUrl?: string;
  /** `productionStatus` says in development: such a page has no year, runtime or rating. */
  inDevelopment: boolean;
  /** Which blocks the page had. */
  blocks: { jsonLd: boolean; nextData: boolean };
}

/** A parsed page, or `blocked` when it has neither block (IMDb's bot challenge, not a missing film). */
export type ImdbPageParse = { kind: 'page'; data: ImdbPageData } | { kind: 'blocked'; reason: string };

/** Decodes HTML entities (`&apos;`, `&#233;`, `&amp;` …) that JSON-LD strings may hold. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return cheerio
    .load(
      `<p>${text.replaceAll('<', '&lt;')}</p>`,
      null,
      false,
    )('p')
    .text();
}

/** ISO 8601 duration (PT2H12M, P0DT1H) → whole minutes. */
export function isoDurationMinutes(value: string | undefined): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const minutes =
    Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 60;
  return minutes > 0 ? Math.round(minutes) : undefined;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const uniq = (xs: (string | undefined | null)[]): string[] => [
  ...new Set(
    xs.filter((x): x is string => typeof x === 'string' && x.trim().length > 0).map((x) => x.trim()),
  ),
];

/** Every string under `key` anywhere inside `node`. */
function collect(node: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) collect(n, key, out);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key && typeof v === 'string') out.push(v);
      else collect(v, key, out);
    }
  }
  return out;
}

/** Country or language codes: `id` when present (ISO codes), else `text`. */
function codesIn(node: unknown): string[] {
  const ids = collect(node, 'id');
  if (ids.length > 0) return uniq(ids);
  if (Array.isArray(node) && node.every((x) => typeof x === 'string')) return uniq(node);
  return uniq(collect(node, 'text'));
}

function readJsonLd($: cheerio.CheerioAPI): ImdbJsonLd | undefined {
  for (const el of $('script[type="application/ld+json"]').toArray()) {
    let value: unknown;
    try {
      value = JSON.parse($(el).text()) as unknown;
    } catch {
      continue;
    }
    for (const item of asArray(value)) {
      const parsed = imdbJsonLdSchema.safeParse(item);
      if (parsed.success && asArray(parsed.data['@type']).includes('Movie')) return parsed.data;
    }
  }
  return undefined;
}

function readNextData($: cheerio.CheerioAPI): ImdbNextData['props']['pageProps'] | undefined {
  const text = $('script#__NEXT_DATA__').text();
  if (text.trim() === '') return undefined;
  try {
    const parsed = imdbNextDataSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const p = parsed.data.props.pageProps;
    return p.aboveTheFoldData || p.mainColumnData ? p : undefined;
  } catch {
    return undefined;
  }
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.replaceAll(',', '')) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** The person names of IMDb credits (`[{credits: [{name: {nameText: {text}}}]}]`), never a category label. */
function creditNames(groups: unknown): string[] {
  const names: (string | undefined)[] = [];
  for (const group of asArray(groups as unknown[] | undefined)) {
    const credits = (group as { credits?: unknown } | null)?.credits;
    for (const credit of Array.isArray(credits) ? credits : []) names.push(nameTextOf(credit));
  }
  return uniq(names);
}

/** The names of a cast connection (`{edges: [{node: {name: {nameText: {text}}}}]}`), in billing order. */
function edgeNames(connection: unknown): string[] {
  const edges = (connection as { edges?: unknown } | null | undefined)?.edges;
  return uniq(
    (Array.isArray(edges) ? edges : []).map((e) => nameTextOf((e as { node?: unknown } | null)?.node)),
  );
}

function nameTextOf(credit: unknown): string | undefined {
  const text = (credit as { name?: { nameText?: { text?: unknown } } } | null | undefined)?.name?.nameText
    ?.text;
  return typeof text === 'string' ? text : undefined;
}

/** `{year, month, day}` → "YYYY-MM-DD"; undefined unless all three are there. */
function dateOf(
  rd: { year?: unknown; month?: unknown; day?: unknown } | null | undefined,
): string | undefined {
  const { year, month, day } = rd ?? {};
  if (typeof year !== 'number' || typeof month !== 'number' || typeof day !== 'number') return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The year of the page's `<title>` ("Taken (2008) - IMDb", "X (TV Series 2015–2017) - IMDb"): the hero year. */
function titleTagYear($: cheerio.CheerioAPI): number | undefined {
  const m = /\((?:[^()]*?\s)?(\d{4})(?:[–-](?:\d{4})?)?\)\s*-\s*IMDb\s*$/.exec(
    $('title').first().text().trim(),
  );
  return m ? Number(m[1]) : undefined;
}

/**
 * Parses an IMDb title page. `__NEXT_DATA__` is read first — it is what the visible page is
 * rendered from — and JSON-LD fills in when it is absent:
 *  - title: `titleText` (the localized, visible title), else JSON-LD `alternateName`, else
 *    `name`; original title: `originalTitleText`, else JSON-LD `name` (which is the original);
 *  - year: `releaseYear.year` (the hero year), else the year in `<title>` — never JSON-LD
 *    `datePublished`, which is one country's release date (Taken: 2009 for a 2008 film);
 *  - genres and top cast: all of `__NEXT_DATA__`'s (JSON-LD lists at most 3 of each);
 *  - directors: the credits of `directors`, `[]` when the credits list is empty (an
 *    in-development title has the label "Directors" and no names);
 *  - title type: `titleType.id` (JSON-LD says `Movie` for a tvMovie too).
 * Absent data stays absent: an in-development title has no year, runtime or rating.
 */
export function parseImdbPage(html: string): ImdbPageParse {
  const $ = cheerio.load(html);
  const ld = readJsonLd($);
  const next = readNextData($);
  if (!ld && !next)
    return { kind: 'blocked', reason: 'the page has neither JSON-LD nor __NEXT_DATA__ (bot challenge?)' };
  const atf = next?.aboveTheFoldData ?? undefined;
  const main = next?.mainColumnData ?? undefined;
  const mainText = (key: string): string | undefined => {
    const t = (main?.[key] as { text?: unknown } | null | undefined)?.text;
    return typeof t === 'string' && t.trim() !== '' ? t : undefined;
  };

  const ldName = ld?.name ? decodeEntities(ld.name) : undefined;
  const ldAlternate = ld?.alternateName ? decodeEntities(ld.alternateName) : undefined;
  const title = atf?.titleText?.text ?? mainText('titleText') ?? ldAlternate ?? ldName;
  if (!title) return { kind: 'blocked', reason: 'the page has no title in JSON-LD or __NEXT_DATA__' };
  const original = atf?.originalTitleText?.text ?? mainText('originalTitleText') ?? ldName;

  const mainYear = (main?.releaseYear as { year?: unknown } | null | undefined)?.year;
  const year = next
    ? (atf?.releaseYear?.year ?? (typeof mainYear === 'number' ? mainYear : undefined))
    : titleTagYear($);
  const mainRelease = main?.releaseDate as
    { year?: unknown; month?: unknown; day?: unknown; country?: { id?: unknown } | null } | null | undefined;
  const ldDate = /^\d{4}-\d{2}-\d{2}$/.test(ld?.datePublished ?? '') ? ld?.datePublished : undefined;
  const releaseDate = dateOf(mainRelease) ?? dateOf(atf?.releaseDate) ?? ldDate;
  const releaseCountry =
    dateOf(mainRelease) !== undefined && typeof mainRelease?.country?.id === 'string'
      ? mainRelease.country.id
      : undefined;
  const mainSeconds = (main?.runtime as { seconds?: unknown } | null | undefined)?.seconds;
  const seconds = atf?.runtime?.seconds ?? (typeof mainSeconds === 'number' ? mainSeconds : undefined);
  const runtimeMinutes =
    seconds !== undefined && seconds > 0
      ? Math.round(seconds / 60)
      : next
        ? undefined
        : isoDurationMinutes(ld?.duration);

  const nextGenres = uniq(collect(atf?.genres, 'text'));
  const genres = nextGenres.length > 0 ? nextGenres : uniq(asArray(ld?.genre));
  const ldNames = (people: { name?: string | undefined }[]): string[] =>
    uniq(people.map((p) => (p.name ? decodeEntities(p.name) : undefined)));
  // __NEXT_DATA__'s credits decide when the block has them, even when the list is empty.
  const directorGroups = main?.directors ?? atf?.['directorsPageTitle'];
  const directors = Array.isArray(directorGroups)
    ? creditNames(directorGroups)
    : ldNames(asArray(ld?.director));
  const castConnection = main?.cast ?? atf?.['castPageTitle'];
  const cast =
    castConnection !== undefined && castConnection !== null
      ? edgeNames(castConnection)
      : ldNames(asArray(ld?.actor));

  const ratingValue = next
    ? (atf?.ratingsSummary?.aggregateRating ?? undefined)
    : num(ld?.aggregateRating?.ratingValue);
  const votes = next ? (atf?.ratingsSummary?.voteCount ?? undefined) : num(ld?.aggregateRating?.ratingCount);
  const idFromLd = /\/title\/(tt\d{7,10})\b/.exec(ld?.url ?? '')?.[1];
  const mainType = (main?.titleType as { id?: unknown } | null | undefined)?.id;
  const titleType = atf?.titleType?.id ?? (typeof mainType === 'string' ? mainType : undefined);
  const plot =
    collect(atf?.plot, 'plainText')[0] ??
    collect(atf?.plot, 'text')[0] ??
    (ld?.description ? decodeEntities(ld.description) : undefined);

  return {
    kind: 'page',
    data: {
      ...(atf?.id ? { imdbId: atf.id } : idFromLd ? { imdbId: idFromLd } : {}),
      title,
      ...(original && original !== title ? { originalTitle: original } : {}),
      alternativeTitles: uniq(collect(main?.akas, 'text')).filter((t) => t !== title && t !== original),
      ...(year ? { year } : {}),
      ...(releaseDate ? { releaseDate } : {}),
      ...(releaseCountry ? { releaseCountry } : {}),
      ...(runtimeMinutes ? { runtimeMinutes } : {}),
      ...(titleType ? { titleType } : {}),
      genres,
      directors,
      cast,
      countries: codesIn(main?.countriesOfOrigin ?? main?.countriesDetails ?? main?.countries),
      languages: codesIn(main?.spokenLanguages ?? main?.languages),
      ...(plot ? { plot } : {}),
      ...(ratingValue !== undefined && ratingValue !== null
        ? {
            rating: {
              value: ratingValue,
              ...(votes !== undefined && votes !== null ? { votes: Math.round(votes) } : {}),
            },
          }
        : {}),
      ...(ld?.image
        ? { posterUrl: ld.image }
        : atf?.primaryImage?.url
          ? { posterUrl: atf.primaryImage.url }
          : {}),
      inDevelopment: atf?.productionStatus?.currentProductionStage?.id === 'in_development',
      blocks: { jsonLd: ld !== undefined, nextData: next !== undefined },
    },
  };
}
