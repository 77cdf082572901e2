import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/domain/lineup-csv.js';
import { isoDuration, renderChallengePage, renderTitlePage } from '../../src/twin/imdb-page.js';
import { twinFilm } from '../helpers/twin.js';

function blocks(html: string): { ld: Record<string, unknown> | null; next: ReturnType<typeof JSON.parse> } {
  const ld = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1];
  const next = /<script id="__NEXT_DATA__" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1];
  return {
    ld: ld ? (JSON.parse(ld) as Record<string, unknown>) : null,
    next: next ? JSON.parse(next) : null,
  };
}

describe('IMDb title page', () => {
  it('when a film has one director and no rating yet, then director is still an array (as on real pages) and aggregateRating is absent', () => {
    const { ld } = blocks(renderTitlePage(twinFilm({ directors: ['Solo Director'], rating: null })));
    expect(ld?.director).toEqual([
      { '@type': 'Person', url: expect.stringMatching(/^\/name\/nm\d+\/$/), name: 'Solo Director' },
    ]);
    expect(ld).not.toHaveProperty('aggregateRating');
  });

  it('when a film is in development (no rating, no runtime), then the page has no year and empty director credits under the label', () => {
    const { ld, next } = blocks(
      renderTitlePage(twinFilm({ directors: ['Solo Director'], rating: null, runtimeMinutes: null })),
    );
    const { aboveTheFoldData: atf, mainColumnData: main } = next.props.pageProps;
    expect(atf.releaseYear).toBeNull();
    expect(atf.runtime).toBeNull();
    expect(main.directors).toEqual([{ totalCredits: 1, category: { text: 'Directors' }, credits: [] }]);
    expect(ld).not.toHaveProperty('director');
    expect(ld).not.toHaveProperty('datePublished');
  });

  it('when a film is rated, then aggregateRating carries value and count; __NEXT_DATA__ carries akas, directors, countries and languages', () => {
    const film = twinFilm({
      title: 'Mother and Son',
      originalTitle: 'Un petit frère',
      languages: ['fr', 'ar'],
      countries: ['FR'],
    });
    const { ld, next } = blocks(renderTitlePage(film));
    expect(ld?.aggregateRating).toMatchObject({ ratingValue: 7.1, ratingCount: 12345 });
    // JSON-LD `name` is the original title, `alternateName` the localized one (Mononoke-hime / Princess Mononoke).
    expect(ld).toMatchObject({ name: 'Un petit frère', alternateName: 'Mother and Son' });
    const main = next.props.pageProps.mainColumnData;
    expect(main.akas.edges).toEqual([]);
    expect(main.directors[0].credits[0].name.nameText.text).toBe('Ada Director');
    expect(main.countriesOfOrigin.countries).toEqual([{ id: 'FR', text: 'France' }]);
    expect(main.spokenLanguages.spokenLanguages).toEqual([
      { id: 'fr', text: 'French' },
      { id: 'ar', text: 'Arabic' },
    ]);
    expect(next.props.pageProps.aboveTheFoldData.originalTitleText.text).toBe('Un petit frère');
  });

  it('when a title holds "</script>", then the page still has exactly one closing tag per block', () => {
    const html = renderTitlePage(twinFilm({ title: 'A </script> B' }));
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('when the bot challenge is rendered, then it has neither data block', () => {
    expect(blocks(renderChallengePage())).toEqual({ ld: null, next: null });
  });

  it('when runtimes are written as ISO 8601, then hours and minutes are dropped only when zero', () => {
    expect([isoDuration(108), isoDuration(120), isoDuration(45)]).toEqual(['PT1H48M', 'PT2H', 'PT45M']);
  });
});

describe('CSV parser', () => {
  it('when fields are quoted, then commas, doubled quotes and CRLF stay inside their field', () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n1,,"x\ny"\n')).toEqual([
      ['a', 'b,c', 'say "hi"'],
      ['1', '', 'x\ny'],
    ]);
  });
});
