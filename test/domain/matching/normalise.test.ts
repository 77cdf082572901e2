import { describe, expect, it } from 'vitest';
import { foldDiacritics, normaliseTitle } from '../../../src/domain/matching/normalise.js';

describe('normaliseTitle', () => {
  it('when a title carries diacritics and letters NFKD cannot split, then they fold to plain letters', () => {
    expect(foldDiacritics('Nära livet')).toBe('nara livet');
    expect(normaliseTitle('Søren, Æble & Œuvre')).toBe('soren aeble and oeuvre');
    expect(normaliseTitle('Straße nach Łódź')).toBe('strasse nach lodz');
    expect(normaliseTitle('Đavolji raj')).toBe('davolji raj');
    expect(normaliseTitle('Kam čert nemůže')).toBe('kam cert nemuze');
  });

  it('when a title is in Cyrillic or Greek, then it is romanised', () => {
    expect(normaliseTitle('Левиафан')).toBe('leviafan');
    expect(normaliseTitle('Το τελευταίο ψέμα')).toBe('to teleftaio psema');
  });

  it('when titles lead with an article in several languages, then the article is dropped', () => {
    const cases: [string, string][] = [
      ['The Lovers', 'lovers'],
      ['A Matter of Dignity', 'matter of dignity'],
      ['An Angel at My Table', 'angel at my table'],
      ['La venganza', 'venganza'],
      ['Le trou', 'trou'],
      ['Les quatre cents coups', 'quatre cents coups'],
      ["L'Avventura", 'avventura'],
      ['Il grido', 'grido'],
      ['Gli sbandati', 'sbandati'],
      ['I vitelloni', 'vitelloni'],
      ['Der Himmel über Berlin', 'himmel uber berlin'],
      ['Die Blechtrommel', 'blechtrommel'],
      ['Das weiße Band', 'weisse band'],
      ['El sur', 'sur'],
      ['Los golfos', 'golfos'],
      ['Las Hurdes', 'hurdes'],
      ['O Pagador de Promessas', 'pagador de promessas'],
      ['Os Fuzis', 'fuzis'],
      ['De Aanslag', 'aanslag'],
      ['Het gouden ei', 'gouden ei'],
      ['Den enfaldige mördaren', 'enfaldige mordaren'],
    ];
    for (const [title, expected] of cases) expect(normaliseTitle(title), title).toBe(expected);
  });

  it('when a title is only an article, then it is kept', () => {
    expect(normaliseTitle('Die')).toBe('die');
  });

  it('when punctuation, possessives, numerals or a trailing year differ, then the forms agree', () => {
    expect(normaliseTitle("Tchaikovsky's Wife")).toBe(normaliseTitle('Tchaikovsky Wife'));
    expect(normaliseTitle('Rocky II')).toBe(normaliseTitle('Rocky 2'));
    expect(normaliseTitle('Paris, Texas')).toBe(normaliseTitle('Paris Texas'));
    expect(normaliseTitle('Seven Days... Seven Nights')).toBe('7 days 7 nights');
    expect(normaliseTitle('Alpha (2025)')).toBe('alpha');
    expect(normaliseTitle('Sex, Lies, and Videotape')).toBe(normaliseTitle('Sex, Lies & Videotape'));
  });
});

describe('normaliseTitle, stacked articles and lost apostrophes', () => {
  it('when an English article is put before a foreign one, then both are dropped', () => {
    expect(normaliseTitle('The La scorta')).toBe(normaliseTitle('La scorta'));
    expect(normaliseTitle("The L'enfance de l'art")).toBe(normaliseTitle("L'enfance de l'art"));
  });

  it('when a possessive lost its apostrophe, then it still matches', () => {
    expect(normaliseTitle('Jimmy s Hall')).toBe(normaliseTitle("Jimmy's Hall"));
  });
});
