import { describe, expect, it } from 'vitest';
import { decodeEntities, isoDurationMinutes, parseImdbPage } from '../../src/sources/imdb-page-parser.js';
import { renderChallengePage, renderNotFoundPage, renderTitlePage } from '../../src/twin/imdb-page.js';
import { twinFilm } from '../helpers/twin.js';

function page(html: string) {
  const parsed = parseImdbPage(html);
  if (parsed.kind !== 'page') throw new Error(`expected a page, got ${parsed.reason}`);
  return parsed.data;
}

const withoutJsonLd = (html: string) =>
  html.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/, '');
const withoutNextData = (html: string) => html.replace(/<script id="__NEXT_DATA__"[\s\S]*?<\/script>/, '');

describe('IMDb title page parser', () => {
  it('when the page has one director and a title with entities, then the title is decoded and the director is read from the object', () => {
    const film = twinFilm({
      title: `Tom & Jerry's "Day"`,
      originalTitle: 'Le Jour de Tom & Jerry',
      directors: ['Agnès Varda'],
      runtimeMinutes: 108,
      releaseYear: 2024,
    });
    const data = page(withoutNextData(renderTitlePage(film)));
    expect(data).toMatchObject({
      imdbId: film.imdbId,
      title: `Tom & Jerry's "Day"`,
      originalTitle: 'Le Jour de Tom & Jerry',
      directors: ['Agnès Varda'],
      runtimeMinutes: 108,
      year: 2024,
      rating: { value: 7.1, votes: 12345 },
    });
    expect(data.blocks).toEqual({ jsonLd: true, nextData: false });
  });

  it('when the page has several directors, then all are read from the array', () => {
    const film = twinFilm({ directors: ['Jean-Pierre Dardenne', 'Luc Dardenne'] });
    expect(page(renderTitlePage(film)).directors).toEqual(['Jean-Pierre Dardenne', 'Luc Dardenne']);
    expect(page(withoutJsonLd(renderTitlePage(film))).directors).toEqual([
      'Jean-Pierre Dardenne',
      'Luc Dardenne',
    ]);
  });

  it('when JSON-LD is missing but __NEXT_DATA__ is there, then titles, year, runtime, directors, akas, countries and languages come from it', () => {
    const film = twinFilm({
      title: 'Anatomy of a Fall',
      originalTitle: 'Anatomie d’une chute',
      directors: ['Justine Triet'],
      runtimeMinutes: 151,
      releaseYear: 2023,
      countries: ['FR'],
      languages: ['fr', 'en'],
      genres: ['Drama', 'Thriller'],
      tmdb: { alternativeTitles: [{ iso_3166_1: 'US', title: 'Anatomy', type: '' }] },
    });
    const data = page(withoutJsonLd(renderTitlePage(film)));
    expect(data).toMatchObject({
      imdbId: film.imdbId,
      title: 'Anatomy of a Fall',
      originalTitle: 'Anatomie d’une chute',
      year: 2023,
      runtimeMinutes: 151,
      directors: ['Justine Triet'],
      countries: ['FR'],
      languages: ['fr', 'en'],
      genres: ['Drama', 'Thriller'],
    });
    expect(data.alternativeTitles).toContain('Anatomy');
    expect(data.blocks).toEqual({ jsonLd: false, nextData: true });
  });

  it('when an unreleased film has no aggregateRating, then the page parses without a rating', () => {
    const film = twinFilm({ rating: null });
    expect(page(withoutNextData(renderTitlePage(film))).rating).toBeUndefined();
  });

  it('when the page has neither block (bot challenge, or an error page), then it is blocked', () => {
    expect(parseImdbPage(renderChallengePage()).kind).toBe('blocked');
    expect(parseImdbPage(renderNotFoundPage()).kind).toBe('blocked');
    expect(parseImdbPage(withoutNextData(withoutJsonLd(renderTitlePage(twinFilm())))).kind).toBe('blocked');
  });

  it('when durations and entities vary, then the helpers read them', () => {
    expect([
      isoDurationMinutes('PT2H12M'),
      isoDurationMinutes('PT45M'),
      isoDurationMinutes('PT2H'),
      isoDurationMinutes('P0D'),
      isoDurationMinutes('2h'),
    ]).toEqual([132, 45, 120, undefined, undefined]);
    expect(decodeEntities('L&apos;Humanit&#233; &amp; &quot;co&quot; &lt;b&gt;')).toBe(
      `L'Humanité & "co" <b>`,
    );
  });
});
