/**
 * Where the calls above the world minimum go: every upstream attempt the service recorded
 * in api_lookup_metrics is attributed to the nominated film it was made for (by IMDb ID, by
 * the title it searched, or — for a TMDb details call — by the record's TMDb ID, a decoy
 * counting for the film it imitates), then counted per minimum case (src/twin/world-minimum.ts)
 * and per operation:strategy, beside the calls that case needs.
 */
import type { Db } from 'mongodb';
import { normaliseTitle } from '../src/domain/matching/index.js';
import { collectionNames } from '../src/persistence/collections.js';
import type { NominatedFilm, WorldMinimum } from '../src/twin/world-minimum.js';
import type { World } from '../src/twin/world.js';

const sources = ['tmdb', 'omdb', 'imdb'] as const;
type Source = (typeof sources)[number];

interface CaseTally {
  films: number;
  made: Record<Source, number>;
  needed: Record<Source, number>;
  /** `source operation:strategy` → calls. */
  byKind: Map<string, number>;
}

/** The title a search identifier asked for: `Title (2021)` → `Title`. */
function searchedTitle(identifier: string): string {
  return identifier.replace(/\s\(\d{4}\)$/, '');
}

/** Attributes each recorded attempt to a film and tallies it under the film's minimum case. */
export function tallyByCase(
  world: World,
  minimum: WorldMinimum,
  nominated: readonly NominatedFilm[],
): (db: Db) => Promise<void> {
  return async (db) => {
    const caseOf = new Map(minimum.perFilm.map((m) => [m.imdbId, m]));
    const byTmdb = new Map(world.films.map((f) => [String(f.tmdbId), f]));
    const byTitle = new Map<string, string>();
    for (const n of nominated)
      for (const t of [n.title, n.originalTitle])
        if (t !== null) {
          byTitle.set(normaliseTitle(t), n.imdbId);
          byTitle.set(t.trim().toLowerCase(), n.imdbId);
        }
    const tallies = new Map<string, CaseTally>();
    const tally = (c: string): CaseTally => {
      let t = tallies.get(c);
      if (t === undefined) {
        t = {
          films: 0,
          made: { tmdb: 0, omdb: 0, imdb: 0 },
          needed: { tmdb: 0, omdb: 0, imdb: 0 },
          byKind: new Map(),
        };
        tallies.set(c, t);
      }
      return t;
    };
    for (const m of minimum.perFilm) {
      const t = tally(m.case);
      t.films += 1;
      t.needed.tmdb += m.tmdb;
      t.needed.omdb += m.omdb;
      t.needed.imdb += m.zyte;
    }
    let unattributed = 0;
    for await (const a of db
      .collection(collectionNames.lookupMetrics)
      .find({}, { projection: { source: 1, operation: 1, identifier: 1, 'metadata.strategy': 1 } })) {
      const source = String(a.source) as Source;
      const identifier = String(a.identifier);
      const operation = String(a.operation);
      let imdbId: string | undefined;
      let suffix = '';
      if (/^tt\d+$/.test(identifier)) imdbId = identifier;
      else if (operation === 'details') {
        const film = byTmdb.get(identifier);
        imdbId = film?.decoy === true ? film.decoyOf : film?.imdbId;
        suffix = film?.decoy === true ? ` (decoy ${film.decoyKind ?? '?'})` : '';
      } else {
        const title = searchedTitle(identifier);
        imdbId = byTitle.get(title.trim().toLowerCase()) ?? byTitle.get(normaliseTitle(title));
      }
      const m = imdbId === undefined ? undefined : caseOf.get(imdbId);
      if (m === undefined) {
        unattributed += 1;
        continue;
      }
      const t = tally(m.case);
      if (sources.includes(source)) t.made[source] += 1;
      const strategy = (a.metadata as { strategy?: unknown } | undefined)?.strategy;
      const kind = `${source} ${operation}:${typeof strategy === 'string' ? strategy : '?'}${suffix}`;
      t.byKind.set(kind, (t.byKind.get(kind) ?? 0) + 1);
    }
    console.log('\n  calls by minimum case (made/needed per source; the calls made by kind)');
    for (const [c, t] of [...tallies].sort((a, b) => b[1].films - a[1].films)) {
      const cell = (s: Source) => `${s === 'imdb' ? 'zyte' : s} ${t.made[s]}/${t.needed[s]}`;
      console.log(
        `    ${c.padEnd(34)} ${String(t.films).padStart(4)} films  ${sources.map(cell).join('  ')}`,
      );
      const kinds = [...t.byKind].sort((a, b) => b[1] - a[1]);
      console.log(`      ${kinds.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    }
    if (unattributed > 0)
      console.log(`    (${unattributed} recorded attempts not attributed to a nominated film)`);
  };
}
