import type { NormalizedMovie, Rating } from '../domain/movie.js';
import type { MatchCandidate } from '../domain/matching/index.js';
import { isImdbId } from '../domain/nomination.js';
import { omdbTypeToTitleType } from '../domain/title-type.js';
import { compact } from '../domain/compact.js';
import type { OmdbMovie } from './omdb-schemas.js';

/** OMDb's "N/A" (and empty) as absent. */
function present(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' || v === 'N/A' ? undefined : v;
}

/** "Jean Dupont, Ann Lee" → ["Jean Dupont", "Ann Lee"]; "N/A" → []. */
function list(value: string | undefined): string[] {
  const v = present(value);
  return v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0 && s !== 'N/A');
}

/** "1,234,567" → 1234567. */
export function parseVotes(value: string | undefined): number | undefined {
  const v = present(value);
  if (v === undefined) return undefined;
  const n = Number(v.replaceAll(',', ''));
  return Number.isFinite(n) && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** "8.1/10", "96%", "74/100" → value and scale; undefined when unreadable. */
export function parseRatingValue(value: string): { value: number; scale: number } | undefined {
  const v = value.trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(v);
  if (pct) return { value: Number(pct[1]), scale: 100 };
  const frac = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(v);
  if (frac && Number(frac[2]) > 0) return { value: Number(frac[1]), scale: Number(frac[2]) };
  return undefined;
}

/** "2019" or "2019–2020" → 2019. */
function parseYear(value: string | undefined): number | undefined {
  const m = /^(\d{4})/.exec(present(value) ?? '');
  return m ? Number(m[1]) : undefined;
}

const months: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

/** "21 May 2019" → "2019-05-21". */
export function parseReleased(value: string | undefined): string | undefined {
  const m = /^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})$/.exec(present(value) ?? '');
  if (!m) return undefined;
  const month = months[m[2] ?? ''];
  return month ? `${m[3]}-${month}-${(m[1] ?? '').padStart(2, '0')}` : undefined;
}

/** "132 min" → 132. */
function parseRuntime(value: string | undefined): number | undefined {
  const m = /^(\d+)\s*min/.exec(present(value) ?? '');
  const n = m ? Number(m[1]) : 0;
  return n > 0 ? n : undefined;
}

function ratings(m: OmdbMovie): Rating[] {
  const out: Rating[] = [];
  const votes = parseVotes(m.imdbVotes);
  for (const r of m.Ratings ?? []) {
    const parsed = parseRatingValue(r.Value);
    if (!parsed) continue;
    const isImdb = r.Source === 'Internet Movie Database';
    out.push({ source: r.Source, ...parsed, ...(isImdb && votes !== undefined ? { votes } : {}) });
  }
  const imdbRating = Number(present(m.imdbRating));
  if (
    !out.some((r) => r.source === 'Internet Movie Database') &&
    Number.isFinite(imdbRating) &&
    present(m.imdbRating) !== undefined
  ) {
    out.push({
      source: 'Internet Movie Database',
      value: imdbRating,
      scale: 10,
      ...(votes === undefined ? {} : { votes }),
    });
  }
  return out;
}

/** An OMDb hit as a match candidate. */
export function omdbToCandidate(m: OmdbMovie): MatchCandidate {
  const year = parseYear(m.Year);
  const imdbId = present(m.imdbID);
  return {
    id: imdbId ?? m.Title,
    title: m.Title,
    ...(year === undefined ? {} : { year }),
    directors: list(m.Director),
    ...(imdbId && isImdbId(imdbId) ? { imdbId } : {}),
    ...(/^https?:\/\/\S+$/.test(present(m.Poster) ?? '') ? { posterUrl: present(m.Poster) } : {}),
  };
}

/** An OMDb hit as the NormalizedMovie (a minimal import: OMDb has no original or alternative titles). */
export function omdbToMovie(m: OmdbMovie): NormalizedMovie {
  const imdbId = present(m.imdbID);
  return compact({
    source: 'omdb' as const,
    title: m.Title,
    alternativeTitles: [],
    year: parseYear(m.Year),
    releaseDate: parseReleased(m.Released),
    runtimeMinutes: parseRuntime(m.Runtime),
    titleType: omdbTypeToTitleType(m.Type),
    genres: list(m.Genre),
    directors: list(m.Director),
    cast: list(m.Actors),
    countries: list(m.Country),
    languages: list(m.Language),
    plot: present(m.Plot),
    ratings: ratings(m),
    externalIds: compact({ imdbId: imdbId && isImdbId(imdbId) ? imdbId : undefined }),
    posterUrl: /^https?:\/\/\S+$/.test(present(m.Poster) ?? '') ? present(m.Poster) : undefined,
  });
}
