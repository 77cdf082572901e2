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
  runtimeMinutes?: number;
  genres: string[];
  directors: string[];
  cast: string[];
  countries: string[];
  languages: string[];
  plot?: string;
  rating?: { value: number; votes?: number };
  posterUrl?: string;
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

/** Names under a credits subtree: `nameText.text` (IMDb's GraphQL shape), else `name`, else `text`. */
function namesIn(node: unknown): string[] {
  const nameTexts: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n !== null && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      const nt = o.nameText as { text?: unknown } | undefined;
      if (nt && typeof nt.text === 'string') nameTexts.push(nt.text);
      else Object.values(o).forEach(walk);
    }
  };
  walk(node);
  if (nameTexts.length > 0) return uniq(nameTexts);
  const names = collect(node, 'name');
  return uniq(names.length > 0 ? names : collect(node, 'text'));
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

/** Parses an IMDb title page from its JSON-LD and `__NEXT_DATA__` blocks. */
export function parseImdbPage(html: string): ImdbPageParse {
  const $ = cheerio.load(html);
  const ld = readJsonLd($);
  const next = readNextData($);
  if (!ld && !next)
    return { kind: 'blocked', reason: 'the page has neither JSON-LD nor __NEXT_DATA__ (bot challenge?)' };
  const atf = next?.aboveTheFoldData ?? undefined;
  const main = next?.mainColumnData ?? undefined;

  const ldName = ld?.name ? decodeEntities(ld.name) : undefined;
  const title = atf?.titleText?.text ?? ldName;
  if (!title) return { kind: 'blocked', reason: 'the page has no title in JSON-LD or __NEXT_DATA__' };
  const original =
    atf?.originalTitleText?.text ?? (ld?.alternateName ? decodeEntities(ld.alternateName) : undefined);
  const ldDate = /^\d{4}-\d{2}-\d{2}$/.test(ld?.datePublished ?? '') ? ld?.datePublished : undefined;
  const rd = atf?.releaseDate;
  const nextDate =
    rd?.year && rd.month && rd.day
      ? `${rd.year}-${String(rd.month).padStart(2, '0')}-${String(rd.day).padStart(2, '0')}`
      : undefined;
  const releaseDate = ldDate ?? nextDate;
  const year = atf?.releaseYear?.year ?? (releaseDate ? Number(releaseDate.slice(0, 4)) : undefined);
  const seconds = atf?.runtime?.seconds;
  const ldDirectors = uniq(asArray(ld?.director).map((d) => (d.name ? decodeEntities(d.name) : undefined)));
  const ratingValue =
    num(ld?.aggregateRating?.ratingValue) ?? atf?.ratingsSummary?.aggregateRating ?? undefined;
  const votes = num(ld?.aggregateRating?.ratingCount) ?? atf?.ratingsSummary?.voteCount ?? undefined;
  const idFromLd = /\/title\/(tt\d{7,10})\b/.exec(ld?.url ?? '')?.[1];
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
      ...(seconds && seconds > 0
        ? { runtimeMinutes: Math.round(seconds / 60) }
        : isoDurationMinutes(ld?.duration)
          ? { runtimeMinutes: isoDurationMinutes(ld?.duration) }
          : {}),
      genres: uniq(ld?.genre !== undefined ? asArray(ld.genre) : collect(atf?.genres, 'text')),
      directors: ldDirectors.length > 0 ? ldDirectors : namesIn(main?.directors),
      cast: uniq(asArray(ld?.actor).map((a) => (a.name ? decodeEntities(a.name) : undefined))),
      countries: codesIn(main?.countriesOfOrigin ?? main?.countriesDetails ?? main?.countries),
      languages: codesIn(main?.spokenLanguages ?? main?.languages),
      ...(plot ? { plot } : {}),
      ...(ratingValue !== undefined
        ? { rating: { value: ratingValue, ...(votes !== undefined ? { votes: Math.round(votes) } : {}) } }
        : {}),
      ...(ld?.image
        ? { posterUrl: ld.image }
        : atf?.primaryImage?.url
          ? { posterUrl: atf.primaryImage.url }
          : {}),
      blocks: { jsonLd: ld !== undefined, nextData: next !== undefined },
    },
  };
}
