import type { Db } from 'mongodb';
import type { ImportType } from '../../domain/movie.js';
import { collectionNames } from '../../persistence/collections.js';
import type { Answer } from '../../twin/world.js';
import { usd } from '../table.js';

/**
 * The two goals of the problem statement, measured against the twin world's answer key:
 * - failure rate: nominations whose film stayed a stub although some source knew it
 *   (the old system lost these), goal < 10 %;
 * - cost per import: recorded upstream cost (api_lookup_metrics metadata.cost_usd) per
 *   nomination imported, goal < $0.01; per festival edition it is shown for scale.
 * Reads are find() with small projections counted in code.
 */

/** One published nomination and the truth about its film. */
export interface AnsweredNomination {
  nominationId: string;
  answer: Answer;
}

/** What the demo measured against the goals. */
export interface GoalFigures {
  nominations: number;
  recorded: number;
  /** Stubs although TMDb, OMDb or IMDb had the film. */
  failures: number;
  /** Stubs no source could have resolved (not failures). */
  unresolvable: number;
  failureRate: number;
  totalCostUsd: number;
  editions: number;
  costPerEditionUsd: number;
  costPerNominationUsd: number;
}

const goals = { failureRate: 0.1, costPerImportUsd: 0.01 } as const;

/** Some source could have identified the film. */
function knownSomewhere(answer: Answer): boolean {
  return answer.tmdbPresent || answer.omdb || answer.imdb === 'present';
}

interface NominationRow {
  nominationId: string;
  festival: string;
  movieKey: string;
}

/** Pure part: the figures from what the database holds. */
export function goalFigures(input: {
  published: readonly AnsweredNomination[];
  nominations: readonly NominationRow[];
  importTypes: ReadonlyMap<string, ImportType>;
  costsUsd: readonly number[];
}): GoalFigures {
  const byId = new Map(input.nominations.map((n) => [n.nominationId, n]));
  let failures = 0;
  let unresolvable = 0;
  let recorded = 0;
  const editions = new Set<string>();
  for (const { nominationId, answer } of input.published) {
    const row = byId.get(nominationId);
    if (row === undefined) {
      // Not recorded at all is the worst failure; the drain waits for every one, so rare.
      failures += 1;
      continue;
    }
    recorded += 1;
    editions.add(row.festival);
    if (input.importTypes.get(row.movieKey) !== 'stub') continue;
    if (knownSomewhere(answer)) failures += 1;
    else unresolvable += 1;
  }
  const nominations = input.published.length;
  const totalCostUsd = Math.round(input.costsUsd.reduce((sum, c) => sum + c, 0) * 1e9) / 1e9;
  return {
    nominations,
    recorded,
    failures,
    unresolvable,
    failureRate: nominations === 0 ? 0 : failures / nominations,
    totalCostUsd,
    editions: editions.size,
    costPerEditionUsd: editions.size === 0 ? 0 : totalCostUsd / editions.size,
    costPerNominationUsd: nominations === 0 ? 0 : totalCostUsd / nominations,
  };
}

/** Reads the run's database and computes the figures. */
export async function measureGoals(db: Db, published: readonly AnsweredNomination[]): Promise<GoalFigures> {
  const nominations = await db
    .collection<NominationRow>(collectionNames.nominations)
    .find({}, { projection: { _id: 0, nominationId: 1, festival: 1, movieKey: 1 } })
    .toArray();
  const importTypes = new Map<string, ImportType>();
  for await (const movie of db
    .collection<{ key: string; importType: ImportType }>(collectionNames.movies)
    .find({}, { projection: { _id: 0, key: 1, importType: 1 } })) {
    importTypes.set(movie.key, movie.importType);
  }
  const costsUsd: number[] = [];
  for await (const attempt of db
    .collection<{ metadata?: { cost_usd?: number } }>(collectionNames.lookupMetrics)
    .find({}, { projection: { _id: 0, 'metadata.cost_usd': 1 } })) {
    costsUsd.push(attempt.metadata?.cost_usd ?? 0);
  }
  return goalFigures({ published, nominations, importTypes, costsUsd });
}

const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

/** The goal lines, each with its figure, its goal and PASS or MISS. */
export function renderGoals(f: GoalFigures): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  return [
    "Goals (measured against the twin world's answer key)",
    `  failure rate      ${pct(f.failureRate).padStart(9)}   goal < ${pct(goals.failureRate)}   ${verdict(f.failureRate < goals.failureRate)}   (${f.failures} of ${f.nominations} nominations ended as stubs although a source knew the film; ${f.unresolvable} more no source had)`,
    `  cost per import   ${usd(f.costPerNominationUsd).padStart(9)}   goal < ${usd(goals.costPerImportUsd)}   ${verdict(f.costPerNominationUsd < goals.costPerImportUsd)}   (${usd(f.totalCostUsd)} recorded in api_lookup_metrics / ${f.nominations} nominations imported)`,
    `  cost per festival edition ${usd(f.costPerEditionUsd)}   (${usd(f.totalCostUsd)} / ${f.editions} editions imported; for scale, no goal)`,
    `  recorded          ${f.recorded}/${f.nominations} nominations in MongoDB`,
  ].join('\n');
}
