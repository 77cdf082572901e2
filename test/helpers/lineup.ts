import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lineupToNominations, parseLineupCsv, type LineupFilm } from '../../src/domain/lineup-csv.js';
import type { Nomination } from '../../src/domain/nomination.js';

/** shared/data beside the repository, or FESTIVAL_DATA_DIR when the data lives elsewhere. */
export function dataDir(): string {
  return process.env.FESTIVAL_DATA_DIR ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
}

/** Every film of the Cannes competition lineup, read from the CSV at run time. */
export function cannesLineup(): LineupFilm[] {
  return parseLineupCsv(readFileSync(`${dataDir()}/cannes-competition.csv`, 'utf8'));
}

/** Nominations of one Cannes edition (competition category), built from the real lineup. */
export function cannesNominations(editionYear: number, producedAt = Date.now()): Nomination[] {
  const films = cannesLineup().filter((f) => f.editionYear === editionYear);
  if (films.length === 0) throw new Error(`no Cannes competition films for ${editionYear} in the lineup CSV`);
  return lineupToNominations(films, { festival: 'cannes', category: 'competition', producedAt });
}
