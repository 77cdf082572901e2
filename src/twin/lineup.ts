import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from './csv.js';

/** One film of a festival lineup, as the reference CSV gives it. */
export interface LineupFilm {
  festivalYear: number;
  title: string;
  /** null when the same as the English title. */
  originalTitle: string | null;
  directors: string[];
  languages: string[];
  countries: string[];
  runtimeMinutes: number | null;
  imdbId: string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The Cannes competition lineup shipped beside the repository (shared/data, one level up). */
export function defaultLineupPath(): string {
  return resolve(repoRoot, '../shared/data/cannes-competition.csv');
}

const list = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** "1h 48m" → 108; "" → null. */
export function parseRunTime(text: string): number | null {
  const match = /^(?:(\d+)h)?\s*(?:(\d+)m)?$/.exec(text.trim());
  if (!match || (!match[1] && !match[2])) return null;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

export function parseLineup(csvText: string): LineupFilm[] {
  return parseCsvRecords(csvText).flatMap((r) => {
    const imdbId = /\/title\/(tt\d{7,10})\/?/.exec(r.imdb_url ?? '')?.[1];
    const year = Number(r.year);
    if (!imdbId || !Number.isInteger(year) || !r.title) return [];
    return [{
      festivalYear: year,
      title: r.title,
      originalTitle: r.original_title ? r.original_title : null,
      directors: list(r.director ?? ''),
      languages: list(r.languages ?? ''),
      countries: list(r.countries_of_origin ?? ''),
      runtimeMinutes: parseRunTime(r.run_time ?? ''),
      imdbId,
    }];
  });
}

export function readLineup(path = defaultLineupPath()): LineupFilm[] {
  return parseLineup(readFileSync(path, 'utf8'));
}
