/**
 * Title and name normalisation shared by every matching comparison: case, Unicode
 * compatibility forms, diacritics, letters NFKD cannot split, punctuation, `&`, roman
 * numerals, small number words and leading articles in the languages festivals list.
 */

// Letters NFKD leaves whole: they have no base letter + combining mark decomposition.
const foldedLetters: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'ng',
  ĸ: 'k',
  ſ: 's',
};

// Basic Cyrillic and Greek transliteration, so that a title kept in its own script still
// compares with the romanised form festivals print.
const cyrillic: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  ј: 'j',
  љ: 'lj',
  њ: 'nj',
  ћ: 'c',
  ђ: 'dj',
  џ: 'dz',
};
const greek: Record<string, string> = {
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};

/** Lower case, compatibility forms, diacritics and non-decomposable letters folded to ASCII where possible. */
export function foldDiacritics(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[ßæœøđðłþıħŧŋĸſ]/g, (c) => foldedLetters[c] ?? c)
      .replace(/[\u0400-\u04ff]/g, (c) => cyrillic[c] ?? c)
      // Modern Greek digraphs: αυ/ευ read af/ef before a voiceless consonant, av/ev elsewhere.
      .replace(/([αε])υ(?=[θκξπσςτφχψ])/g, (_, v: string) => `${greek[v] ?? v}f`)
      .replace(/([αε])υ/g, (_, v: string) => `${greek[v] ?? v}v`)
      .replace(/ου/g, 'ou')
      .replace(/[\u0370-\u03ff]/g, (c) => greek[c] ?? c)
  );
}

/** Articles that may lead a title, by their folded spelling. */
const leadingArticles = new Set([
  // English
  'the',
  'a',
  'an',
  // Elided French and Italian articles once the apostrophe is split off (l'avventura).
  'l',
  // French, Italian, Spanish, Portuguese, Catalan
  'le',
  'la',
  'les',
  'un',
  'une',
  'des',
  'il',
  'lo',
  'gli',
  'i',
  'uno',
  'el',
  'los',
  'las',
  'una',
  'o',
  'os',
  'as',
  'um',
  'uma',
  'els',
  // German
  'der',
  'die',
  'das',
  'ein',
  'eine',
  // Dutch, Scandinavian
  'de',
  'het',
  'een',
  'den',
  'det',
  'en',
  'ett',
  'et',
]);

const romanNumerals: Record<string, string> = {
  ii: '2',
  iii: '3',
  iv: '4',
  vi: '6',
  vii: '7',
  viii: '8',
  ix: '9',
  xi: '11',
  xii: '12',
  xiii: '13',
};
const numberWords: Record<string, string> = {
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
  eleven: '11',
  twelve: '12',
};

/**
 * Title tokens after folding: punctuation split, `&` as "and", possessive 's dropped,
 * elisions split ("l'art" → "l art"), numbers unified, leading articles dropped (several:
 * "The La scorta" is how an English list sometimes prints an Italian title).
 */
export function titleTokens(title: string, options: { dropArticle?: boolean } = {}): string[] {
  const text = foldDiacritics(title)
    .replace(/[’ʼ`´‘]/g, "'")
    // A trailing "(1999)" is a disambiguator some catalogs add, not part of the title.
    .replace(/\(\s*\d{4}\s*\)\s*$/, '')
    .replace(/&/g, ' and ')
    .replace(/\+/g, ' and ')
    .replace(/'s\b/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  let tokens = (text === '' ? [] : text.split(' ')).map((t) => romanNumerals[t] ?? numberWords[t] ?? t);
  // A lone "s" is a possessive whose apostrophe was lost ("Jimmy s Hall").
  if (tokens.length > 1) tokens = tokens.filter((t) => t !== 's');
  if (options.dropArticle !== false) {
    while (tokens.length > 1 && leadingArticles.has(tokens[0] ?? '')) tokens = tokens.slice(1);
  }
  return tokens;
}

/** The normalised form of a title: folded tokens without a leading article, joined by single spaces. */
export function normaliseTitle(title: string): string {
  return titleTokens(title).join(' ');
}
