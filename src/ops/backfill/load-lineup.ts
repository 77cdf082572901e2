import { createHash } from 'node:crypto';
import { lineupToNominations, parseLineupCsv } from '../../domain/lineup-csv.js';
import type { Nomination } from '../../domain/nomination.js';
import { validateNomination } from '../../domain/nomination-validation.js';
import { UsageError } from '../usage-error.js';

/**
 * Reads a lineup file for the backfill: a lineup CSV (the columns of
 * shared/data/cannes-competition.csv) or a JSON array of Nomination objects. JSON rows are
 * validated exactly as the consumer would; invalid ones are reported with their line and
 * never sent, so a backfill cannot fill the DLQ with its own mistakes.
 */

/** A JSON row that will not be sent. */
interface InvalidRow {
  line: number;
  index: number;
  reason: string;
}

/** What a file holds. */
export interface LoadedLineup {
  nominations: Nomination[];
  invalid: InvalidRow[];
}

/** How CSV rows become nominations. */
export interface CsvLineupOptions {
  festival: string;
  category: string;
  /** Share of films sent without their IMDb ID, chosen by a stable hash of the title (0..1). */
  withoutImdbShare: number;
  producedAt: number;
}

/** A stable number in [0, 1) from a text, so the same films lose their IDs on every run. */
function stableFraction(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

export function loadCsvLineup(text: string, options: CsvLineupOptions): LoadedLineup {
  const films = parseLineupCsv(text);
  const nominations = films.flatMap((film) =>
    lineupToNominations([film], {
      festival: options.festival,
      category: options.category,
      producedAt: options.producedAt,
      withoutImdbId: stableFraction(`${film.editionYear}:${film.title}`) < options.withoutImdbShare,
    }),
  );
  return { nominations, invalid: [] };
}

/** The 1-based line on which each top-level element of a JSON array starts. */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectingValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectingValue && c !== undefined && !/[\s,\]]/.test(c)) {
      lines.push(line);
      expectingValue = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectingValue = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectingValue = true;
  }
  return lines;
}

export function loadJsonLineup(text: string, options: { currentYear?: number } = {}): LoadedLineup {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `lineup JSON does not parse: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!Array.isArray(parsed)) throw new UsageError('lineup JSON must be an array of nominations');
  const lines = arrayElementLines(text);
  const nominations: Nomination[] = [];
  const invalid: InvalidRow[] = [];
  parsed.forEach((record: unknown, index) => {
    const result = validateNomination(record, options);
    if (result.ok) nominations.push(result.nomination);
    else invalid.push({ index, line: lines[index] ?? 0, reason: result.reason });
  });
  return { nominations, invalid };
}

/** Picks the reader by extension (.csv or .json). */
export function loadLineup(fileName: string, text: string, csv: CsvLineupOptions): LoadedLineup {
  if (/\.csv$/i.test(fileName)) return loadCsvLineup(text, csv);
  if (/\.json$/i.test(fileName)) return loadJsonLineup(text);
  throw new UsageError(`--file must end in .csv or .json; got ${fileName}`);
}
