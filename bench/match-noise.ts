import type { LookupQuery } from '../src/sources/source.js';

/**
 * Real nominations are messier than the world's answer key (shared/data/README.md): titles
 * without diacritics, no original title, no directors, an article more or less, other
 * punctuation, a director's first name as an initial. `--noise p` applies one of these to a
 * share p of the nominations, chosen and varied by a hash so that runs are reproducible.
 */
export const noiseKinds = [
  'ascii',
  'no-original',
  'no-directors',
  'article',
  'punctuation',
  'initials',
] as const;
export type NoiseKind = (typeof noiseKinds)[number];

function ascii(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}

function toggleArticle(title: string): string {
  return /^the /i.test(title) ? title.slice(4) : `The ${title}`;
}

function initials(name: string): string {
  const parts = name.split(' ');
  if (parts.length < 2) return name;
  return [`${parts[0]![0]}.`, ...parts.slice(1)].join(' ');
}

export function addNoise(query: LookupQuery, kind: NoiseKind): LookupQuery {
  switch (kind) {
    case 'ascii':
      return {
        ...query,
        title: ascii(query.title),
        ...(query.originalTitle ? { originalTitle: ascii(query.originalTitle) } : {}),
      };
    case 'no-original': {
      const { originalTitle: _dropped, ...rest } = query;
      return rest;
    }
    case 'no-directors':
      return { ...query, directors: [] };
    case 'article':
      return { ...query, title: toggleArticle(query.title) };
    case 'punctuation':
      return {
        ...query,
        title: query.title
          .replace(/&/g, 'and')
          .replace(/[:,.!?'’-]/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      };
    case 'initials':
      return { ...query, directors: query.directors.map(initials) };
  }
}
