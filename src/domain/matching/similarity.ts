import { titleTokens } from './normalise.js';

/**
 * Title similarity in [0, 1] that tolerates transliteration and small spelling
 * differences but not a missing or different word: "Leviafan" ~ "Leviathan" is high,
 * "Three Colours: Blue" ~ "Three Colours: White" is not.
 */

// Ordered rewrites that bring the usual romanisations of one sound to one spelling
// (Tchaikovsky / Chaikovskiy / Tschaikowsky, Khrustalyov / Hrustaliov, Orphée / Orfeu).
const skeletonRules: [RegExp, string][] = [
  [/tsch|tch/g, 'ch'],
  [/sch/g, 'sh'],
  [/zh/g, 'j'],
  [/kh/g, 'h'],
  [/ph/g, 'f'],
  [/th/g, 't'],
  [/gh/g, 'g'],
  [/ck/g, 'k'],
  [/qu/g, 'k'],
  [/q/g, 'k'],
  [/c(?=[aou]|$|[^aeiouyh])/g, 'k'],
  [/w/g, 'v'],
  [/ou/g, 'u'],
  [/[yj]/g, 'i'],
  [/ks/g, 'x'],
  [/(.)\1+/g, '$1'],
];

/** A spelling skeleton of one folded token, for comparing transliterations. */
export function skeleton(token: string): string {
  let s = token;
  for (const [pattern, replacement] of skeletonRules) s = s.replace(pattern, replacement);
  return s;
}

/** Levenshtein distance (two-row dynamic programme). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}

/** 1 - distance / longer length. */
function levenshteinRatio(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - levenshtein(a, b) / longer;
}

// Two tokens count as the same word only when their skeletons are this close; below it a
// token is a different word (scored 0), so that one changed word weighs as a whole word.
const tokenMatchFloor = 0.75;

function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  // Numbers must agree exactly: "2046" is not "2047", "Part 2" is not "Part 3".
  if (/\d/.test(a) || /\d/.test(b)) return 0;
  const shorter = Math.min(a.length, b.length);
  // Short words that differ by a letter mean something else (blue/blur, cat/car); long
  // ones that differ by a letter or two are usually the same word romanised differently.
  if (shorter <= 4) return 0;
  const distance = levenshtein(a, b);
  if (shorter <= 7 && distance > 1) return 0;
  const ratio = 1 - distance / Math.max(a.length, b.length);
  return ratio >= tokenMatchFloor ? ratio : 0;
}

/** Soft Dice coefficient over tokens: greedy best pairing, each token used once. */
function softDice(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  const used = new Set<number>();
  let matched = 0;
  for (const token of a) {
    let best = 0;
    let bestIndex = -1;
    b.forEach((other, index) => {
      if (used.has(index)) return;
      const s = tokenSimilarity(token, other);
      if (s > best) {
        best = s;
        bestIndex = index;
      }
    });
    if (bestIndex >= 0) {
      used.add(bestIndex);
      matched += best;
    }
  }
  return (2 * matched) / (a.length + b.length);
}

function tokenSimilarityOfLists(sa: string[], sb: string[]): number {
  const joinedA = sa.join('');
  const joinedB = sb.join('');
  // Word splits differ between romanisations ("Kore-eda" / "Koreeda", "Bong Joon-ho").
  if (joinedA === joinedB) return 1;
  const dice = softDice(sa, sb);
  const whole = levenshteinRatio(sa.join(' '), sb.join(' '));
  // The whole-string ratio is trusted only when it cannot hide a changed short word.
  return Math.max(dice, Math.min(whole, dice + 0.1));
}

/** A title tokenised and skeletonised once, for comparing against many others. */
export interface PreparedTitle {
  normalised: string;
  /** Skeletons without the leading articles. */
  tokens: string[];
  /** Skeletons with any leading article kept. */
  tokensWithArticle: string[];
}

export function prepareTitle(title: string): PreparedTitle {
  const tokens = titleTokens(title);
  return {
    normalised: tokens.join(' '),
    tokens: tokens.map(skeleton),
    tokensWithArticle: titleTokens(title, { dropArticle: false }).map(skeleton),
  };
}

/** Similarity of two prepared titles in [0, 1]. */
export function preparedSimilarity(a: PreparedTitle, b: PreparedTitle): number {
  if (a.tokens.length === 0 || b.tokens.length === 0) return 0;
  if (a.normalised === b.normalised) return 1;
  // A leading article may be part of the title in one catalog only ("Die Hard" vs "Hard").
  return Math.max(
    tokenSimilarityOfLists(a.tokens, b.tokens),
    tokenSimilarityOfLists(a.tokensWithArticle, b.tokensWithArticle),
  );
}

/** Similarity of two raw titles in [0, 1]. */
export function titleSimilarity(a: string, b: string): number {
  return preparedSimilarity(prepareTitle(a), prepareTitle(b));
}
