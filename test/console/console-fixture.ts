import type { Nomination } from '../../src/domain/nomination.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { emptyWorld, type World, type WorldFilm } from '../../src/twin/world.js';
import type { TestPipeline } from '../helpers/pipeline.js';
import { twinFilm } from '../helpers/twin.js';

/**
 * A small festival for the console tests, chosen so that a real run of the resolver on the
 * twin leaves every kind of review item: low-confidence matches (a title without directors
 * two years off), stubs whose only candidates disagree on the director, stubs with no
 * candidate at all, and films titled like an attack (titles come from outside).
 */

export const scriptTitle = '<script>alert(1)</script>';
export const imgTitle = '"><img src=x onerror=alert(1)>';
export const festival = 'cannes_2023';

function nomination(
  id: string,
  film: {
    title: string;
    year?: number;
    directors?: string[];
    imdbId?: string | null;
    originalTitle?: string | null;
  },
  category = 'competition',
): Nomination {
  const directors = film.directors ?? ['Ada Director'];
  return {
    nominationId: `${festival}:${category}:${id}`,
    festival,
    editionYear: 2023,
    category,
    film: {
      imdbId: film.imdbId ?? null,
      title: film.title,
      originalTitle: film.originalTitle ?? null,
      year: film.year ?? 2023,
      directors,
    },
    people: directors,
    won: false,
    critical: false,
    producedAt: Date.now(),
  };
}

export interface ConsoleWorld {
  world: World;
  nominations: Nomination[];
  /** The film behind the attack-titled candidate (TMDb and OMDb know it under that title). */
  imgFilm: WorldFilm;
  /** The right film of the low-confidence "Winter Road" item. */
  winterRoad: WorldFilm;
  /** A film no tier found by its nominated title; the curator knows its IMDb ID. */
  harbourNights: WorldFilm;
}

export function consoleWorld(): ConsoleWorld {
  const unlinked = { tmdb: { imdbLinked: false } };
  const imgFilm = twinFilm({ title: imgTitle, releaseYear: 2021, directors: ['Zed Other'], ...unlinked });
  const winterRoad = twinFilm({ title: 'Winter Road', releaseYear: 2021, directors: [], ...unlinked });
  const harbourNights = twinFilm({ title: 'Quiet Harbour Nights', releaseYear: 2023, ...unlinked });
  const regular = [
    twinFilm({ title: 'Salt Flats' }),
    twinFilm({ title: 'The Ninth Wave' }),
    twinFilm({ title: 'Orchard Keepers' }),
  ];
  const omdbOnly = [
    twinFilm({ title: 'Lanterns at Dusk', tmdb: { present: false } }),
    twinFilm({ title: 'A Quiet Machine', tmdb: { present: false } }),
  ];
  const imdbOnly = [twinFilm({ title: 'Glass Orchard', tmdb: { present: false }, omdb: { present: false } })];
  const decoys = [
    twinFilm({ title: 'Birds of Paper', ...unlinked }),
    twinFilm({ title: 'Paper Birds of Lisbon', releaseYear: 2025, ...unlinked }),
  ];
  const films = [imgFilm, winterRoad, harbourNights, ...regular, ...omdbOnly, ...imdbOnly, ...decoys];
  const nominations = [
    nomination('winter-road', { title: 'Winter Road' }),
    nomination('paper-birds', { title: 'Paper Birds' }),
    nomination('quiet-harbor', { title: 'Quiet Harbor' }),
    nomination('img', { title: imgTitle }),
    nomination(
      'script',
      { title: scriptTitle, directors: ['<img src=x onerror=alert(2)>'] },
      '<b onmouseover=alert(3)>x</b>',
    ),
    ...[...regular, ...omdbOnly, ...imdbOnly].map((f, i) =>
      nomination(`film-${i}`, { title: f.title, imdbId: f.imdbId }),
    ),
  ];
  return { world: emptyWorld(films, []), nominations, imgFilm, winterRoad, harbourNights };
}

/** Waits until the run recorded every nomination. */
export async function untilRecorded(pipeline: TestPipeline, count: number): Promise<void> {
  await pipeline.waitFor(
    `${count} nominations recorded`,
    async () => (await pipeline.db.collection(collectionNames.nominations).countDocuments()) >= count,
    120_000,
  );
}
