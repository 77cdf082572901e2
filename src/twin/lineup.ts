import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLineupCsv, type LineupFilm } from '../domain/lineup-csv.js';

/** One film of a festival lineup that the twin's worlds are built from (IMDb ID required). */
export interface TwinLineupFilm extends Omit<LineupFilm, 'editionYear' | 'imdbId'> {
  festivalYear: number;
  imdbId: string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The Cannes competition lineup shipped beside the repository (shared/data, one level up). */
function defaultLineupPath(): string {
  return resolve(repoRoot, '../shared/data/cannes-competition.csv');
}

/** The lineup's films that carry an IMDb ID (the world's answer key needs one). */
function parseLineup(csvText: string): TwinLineupFilm[] {
  return parseLineupCsv(csvText).flatMap(({ editionYear, imdbId, ...film }) =>
    imdbId === null ? [] : [{ ...film, festivalYear: editionYear, imdbId }],
  );
}

export function readLineup(path = defaultLineupPath()): TwinLineupFilm[] {
  return parseLineup(readFileSync(path, 'utf8'));
}
