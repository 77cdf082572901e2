import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { nominatedFilms, worldMinimum, type NominatedFilm } from '../../src/twin/world-minimum.js';
import type { WorldFilm } from '../../src/twin/world.js';
import { twinFilm, twinWorld } from '../helpers/twin.js';

function nominated(film: WorldFilm, withImdbId = true, title = film.title): NominatedFilm {
  return {
    imdbId: film.imdbId,
    withImdbId,
    title,
    originalTitle: film.originalTitle === film.title ? null : film.originalTitle,
    year: film.festivalYear ?? film.releaseYear,
  };
}

function minimumOf(films: WorldFilm[], nominations: NominatedFilm[]) {
  return worldMinimum(twinWorld(films), nominations);
}

describe('worldMinimum: the fewest calls a correct resolver needs, from what the sources know', () => {
  it('a film TMDb links to its IMDb id needs find + details and nothing else', () => {
    const film = twinFilm({ title: 'Linked Lighthouse' });
    const m = minimumOf([film], [nominated(film)]);
    expect(m.calls).toEqual({ tmdb: 2, omdb: 0, zyte: 0 });
    expect(m.cases).toEqual({ tmdb_linked: 1 });
  });

  it('a film TMDb has without the link needs find + one search + details', () => {
    const film = twinFilm({ title: 'Unlinked Harbour', tmdb: { imdbLinked: false } });
    expect(minimumOf([film], [nominated(film)]).calls).toEqual({ tmdb: 3, omdb: 0, zyte: 0 });
  });

  it('an unlinked TMDb film no search from the nomination reaches counts as one TMDb lacks', () => {
    // TMDb knows it only under a title the nomination does not carry.
    const film = twinFilm({
      title: 'Northern Quarry',
      omdb: { present: true },
      tmdb: { imdbLinked: false, title: 'Zzyzx Obscura', originalTitle: 'Zzyzx Obscura' },
    });
    const m = minimumOf([film], [nominated(film)]);
    expect(m.calls).toEqual({ tmdb: 2, omdb: 1, zyte: 0 });
    expect(m.cases).toEqual({ tmdb_unreachable_omdb: 1 });
  });

  it('a film TMDb lacks: find + one search, one OMDb call by id, and a Zyte fetch only when OMDb lacks it too', () => {
    const inOmdb = twinFilm({ title: 'Absent One', tmdb: { present: false, imdbLinked: false } });
    const pageOnly = twinFilm({
      title: 'Absent Two',
      omdb: { present: false },
      tmdb: { present: false, imdbLinked: false },
    });
    const missing = twinFilm({
      title: 'Absent Three',
      omdb: { present: false },
      imdb: 'missing',
      tmdb: { present: false, imdbLinked: false },
    });
    expect(minimumOf([inOmdb], [nominated(inOmdb)]).calls).toEqual({ tmdb: 2, omdb: 1, zyte: 0 });
    expect(minimumOf([pageOnly], [nominated(pageOnly)]).calls).toEqual({ tmdb: 2, omdb: 1, zyte: 1 });
    expect(minimumOf([missing], [nominated(missing)]).calls).toEqual({ tmdb: 2, omdb: 1, zyte: 1 });
  });

  it('a challenged IMDb page costs two Zyte fetches', () => {
    const film = twinFilm({
      title: 'Challenged Page',
      omdb: { present: false },
      imdb: 'blocked',
      tmdb: { present: false, imdbLinked: false },
    });
    const m = minimumOf([film], [nominated(film)]);
    expect(m.calls).toEqual({ tmdb: 2, omdb: 1, zyte: 2 });
    expect(m.cases).toEqual({ tmdb_unreachable_imdb_challenged: 1 });
  });

  it('without an IMDb id: no find; search + details when TMDb can be reached, else one OMDb title call and no Zyte', () => {
    const linked = twinFilm({ title: 'Quiet Orchard' });
    const absent = twinFilm({ title: 'Silent Foundry', tmdb: { present: false, imdbLinked: false } });
    const nowhere = twinFilm({
      title: 'Lost Archive',
      omdb: { present: false },
      tmdb: { present: false, imdbLinked: false },
    });
    const m = minimumOf(
      [linked, absent, nowhere],
      [nominated(linked, false), nominated(absent, false), nominated(nowhere, false)],
    );
    expect(m.perFilm.map((f) => [f.case, f.tmdb, f.omdb, f.zyte])).toEqual([
      ['no_id_tmdb', 2, 0, 0],
      ['no_id_omdb', 1, 1, 0],
      ['no_id_none', 1, 1, 0],
    ]);
    expect(m.calls).toEqual({ tmdb: 4, omdb: 2, zyte: 0 });
  });

  it('OMDb is not reachable by the original title, even where the twin answers it: OMDb matches the English title only', () => {
    // omdbapi/OMDb-API#118: t= finds a film by its English title, never by its original one.
    const film = twinFilm({
      title: 'The Salt Road',
      originalTitle: 'La Route du Sel',
      tmdb: { present: false, imdbLinked: false },
    });
    const byEnglish = minimumOf([film], [nominated(film, false)]);
    expect(byEnglish.cases).toEqual({ no_id_omdb: 1 });
    const byOtherEnglish = minimumOf([film], [nominated(film, false, 'Road of Salt')]);
    expect(byOtherEnglish.cases).toEqual({ no_id_none: 1 });
    expect(byOtherEnglish.calls).toEqual({ tmdb: 1, omdb: 1, zyte: 0 });
  });

  it('without an IMDb id, telling that OMDb lacks the film takes two title calls when the year-less one answers a namesake of another year', () => {
    // t= gives one film: a namesake hides any film of the nomination's year, and y= alone cannot rule out another IMDb year.
    const absent = { omdb: { present: false }, tmdb: { present: false, imdbLinked: false } };
    const film = twinFilm({ title: 'Harbour Lights', festivalYear: 2023, releaseYear: 2023, ...absent });
    const older = twinFilm({ title: 'Harbour Lights', festivalYear: null, releaseYear: 1998, decoy: true });
    const sameYear = twinFilm({
      title: 'Harbour Lights',
      festivalYear: null,
      releaseYear: 2023,
      decoy: true,
    });
    const olderCase = minimumOf([film, older], [nominated(film, false)]);
    expect(olderCase.cases).toEqual({ no_id_none_namesake: 1 });
    expect(olderCase.calls).toEqual({ tmdb: 1, omdb: 2, zyte: 0 });
    // A namesake of the nomination's year is what y= answers too; no namesake: nothing of that title.
    expect(minimumOf([film, sameYear], [nominated(film, false)]).calls.omdb).toBe(1);
    expect(minimumOf([film], [nominated(film, false)]).calls.omdb).toBe(1);
  });

  it('the original title is a query the nomination carries: TMDb knowing only the original title is reachable', () => {
    const film = twinFilm({
      title: 'The Salt Road',
      originalTitle: 'La Route du Sel',
      tmdb: { imdbLinked: false, title: 'La Route du Sel' },
    });
    expect(minimumOf([film], [nominated(film)]).cases).toEqual({ tmdb_unlinked: 1 });
  });

  it('a film beyond the first page of every search it could send is not reachable in one search', () => {
    const target = twinFilm({
      title: 'Blue',
      releaseYear: 2023,
      rating: { value: 6, votes: 10 },
      tmdb: { imdbLinked: false },
    });
    // 25 more popular films titled "Blue" of the same year push it off the first page, with and without the year.
    const crowd = Array.from({ length: 25 }, (_, i) =>
      twinFilm({ title: 'Blue', releaseYear: 2023, rating: { value: 7, votes: 100_000 + i }, decoy: true }),
    );
    const m = minimumOf([target, ...crowd], [nominated(target)]);
    expect(m.cases).toEqual({ tmdb_unreachable_omdb: 1 });
  });

  it('a film nominated many times is resolved once, with its IMDb id when any nomination carries it', () => {
    const film = twinFilm({ title: 'Repeated Shore', tmdb: { imdbLinked: false } });
    const m = minimumOf([film], [nominated(film, false), nominated(film), nominated(film, false)]);
    expect(m.films).toBe(1);
    expect(m.calls).toEqual({ tmdb: 3, omdb: 0, zyte: 0 });
  });

  it('on a generated world the totals follow its ratios: about 2.3 TMDb calls per film, OMDb and Zyte only for films TMDb cannot give', () => {
    const world = generateWorld({ seed: 7, size: 400 });
    const m = worldMinimum(world, nominatedFilms(worldNominations(world)));
    expect(m.films).toBe(400);
    const absent = world.answers.filter((a) => !a.tmdbPresent).length;
    expect(m.calls.omdb).toBeGreaterThanOrEqual(absent);
    expect(m.calls.tmdb / m.films).toBeGreaterThan(2.2);
    expect(m.calls.tmdb / m.films).toBeLessThan(2.6);
    const noOmdb = world.answers.filter((a) => !a.tmdbPresent && !a.omdb).length;
    expect(m.calls.zyte).toBeGreaterThanOrEqual(noOmdb);
  });

  it('refuses a nomination of a film the world does not have', () => {
    expect(() =>
      worldMinimum(twinWorld([]), [
        { imdbId: 'tt0000001', withImdbId: true, title: 'X', originalTitle: null, year: 2020 },
      ]),
    ).toThrow(/not in the world/);
  });
});
