import type { Nomination } from './nomination.js';
import { filmKey } from './film-key.js';

/**
 * Festival lineups as CSV (the shape of shared/data/cannes-competition.csv): a small RFC
 * 4180 reader and the mapping from a lineup row to a Nomination. Pure: callers read the
 * file and pass the text, so the demo, the backfill and the tests share one parser.
 */

/** Parses CSV text into rows of fields: quoted fields, "" escapes, CRLF, newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  // A blank line is a row with one empty field: not data.
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** One film of a lineup file. */
export interface LineupFilm {
  /** Festival edition year (the CSV's `year`), not necessarily the release year. */
  editionYear: number;
  title: string;
  originalTitle: string | null;
  directors: string[];
  languages: string[];
  countries: string[];
  runtimeMinutes: number | null;
  imdbId: string | null;
}

const requiredColumns = ['year', 'title', 'original_title', 'director', 'imdb_url'] as const;

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

function runtimeMinutes(value: string | undefined): number | null {
  const m = /^\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*$/.exec(value ?? '');
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

function imdbIdFromUrl(value: string | undefined): string | null {
  return /\/title\/(tt\d{7,10})\b/.exec(value ?? '')?.[1] ?? null;
}

/** Parses a lineup CSV (header row first); throws naming the line of a malformed row. */
export function parseLineupCsv(text: string): LineupFilm[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = requiredColumns.filter((c) => !index.has(c));
  if (missing.length > 0) throw new Error(`lineup CSV lacks the columns: ${missing.join(', ')}`);
  const at = (row: string[], column: string): string | undefined => {
    const i = index.get(column);
    return i === undefined ? undefined : row[i];
  };
  return rows.map((row, n) => {
    const editionYear = Number(at(row, 'year'));
    const title = (at(row, 'title') ?? '').trim();
    if (!Number.isInteger(editionYear) || title === '')
      throw new Error(`lineup CSV row ${n + 2}: expected a year and a title`);
    const originalTitle = (at(row, 'original_title') ?? '').trim();
    return {
      editionYear,
      title,
      originalTitle: originalTitle === '' ? null : originalTitle,
      directors: list(at(row, 'director')),
      languages: list(at(row, 'languages')),
      countries: list(at(row, 'countries_of_origin')),
      runtimeMinutes: runtimeMinutes(at(row, 'run_time')),
      imdbId: imdbIdFromUrl(at(row, 'imdb_url')),
    };
  });
}

/** How lineup rows become nominations. */
export interface LineupNominationOptions {
  /** Festival name; the festival key is `<festival>_<editionYear>`, e.g. cannes_1994. */
  festival: string;
  category: string;
  /** Epoch milliseconds stamped on every nomination. */
  producedAt: number;
  /** Drop the IMDb ID, as many real producers do (default false). */
  withoutImdbId?: boolean;
}

/**
 * One nomination per film. The id is stable (`<festival key>:<category>:<film key>`) so a
 * replayed lineup produces the same ids. The film year is the edition year: the CSV has no
 * release year, and real nominations often carry the festival's year too.
 */
export function lineupToNominations(
  films: readonly LineupFilm[],
  options: LineupNominationOptions,
): Nomination[] {
  return films.map((film) => {
    const festival = `${options.festival}_${film.editionYear}`;
    const imdbId = options.withoutImdbId === true ? null : film.imdbId;
    const key = filmKey({ imdbId, title: film.title, year: film.editionYear });
    return {
      nominationId: `${festival}:${options.category}:${key}`,
      festival,
      editionYear: film.editionYear,
      category: options.category,
      film: {
        imdbId,
        title: film.title,
        originalTitle: film.originalTitle,
        year: film.editionYear,
        directors: film.directors,
      },
      people: [],
      won: false,
      critical: false,
      producedAt: options.producedAt,
    };
  });
}
