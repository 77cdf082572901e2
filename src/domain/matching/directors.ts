import { foldDiacritics } from './normalise.js';
import { levenshtein, skeleton } from './similarity.js';

/**
 * Director evidence: how many of the directors two sources name are the same people,
 * tolerant of initials ("J. Lee Thompson" / "J Lee Thompson"), name order ("Kore-eda
 * Hirokazu" / "Hirokazu Kore-eda"), hyphens and romanisation ("Andrei Tarkovsky" /
 * "Andrey Tarkovskiy").
 */

function nameTokens(name: string): string[] {
  return foldDiacritics(name)
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0)
    .map(skeleton);
}

function sameNamePart(a: string, b: string): boolean {
  if (a === b) return true;
  // An initial stands for any name starting with that letter.
  if (a.length === 1 || b.length === 1) return a[0] === b[0];
  const shorter = Math.min(a.length, b.length);
  return shorter >= 5 && levenshtein(a, b) <= (shorter >= 8 ? 2 : 1);
}

/** Whether two director names denote the same person. */
export function sameDirector(a: string, b: string): boolean {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return false;
  if (ta.join('') === tb.join('')) return true;
  if ([...ta].sort().join('') === [...tb].sort().join('')) return true;
  // Every part of the shorter name must pair with a distinct part of the longer one (a
  // middle name may be missing), and at least one paired part must be a full word.
  const [short, long] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  const used = new Set<number>();
  let fullWords = 0;
  for (const part of short) {
    const index = long.findIndex((other, i) => !used.has(i) && sameNamePart(part, other));
    if (index < 0) return false;
    used.add(index);
    if (part.length > 1 && (long[index]?.length ?? 0) > 1) fullWords++;
  }
  return fullWords > 0;
}

/**
 * Share of the shorter director list that the other list also names, in [0, 1]; null when
 * either side names no director (unknown is not disagreement).
 */
export function directorOverlap(target: string[], candidate: string[] | undefined): number | null {
  const a = target.filter((n) => n.trim() !== '');
  const b = (candidate ?? []).filter((n) => n.trim() !== '');
  if (a.length === 0 || b.length === 0) return null;
  const used = new Set<number>();
  let matched = 0;
  for (const name of a) {
    const index = b.findIndex((other, i) => !used.has(i) && sameDirector(name, other));
    if (index >= 0) {
      used.add(index);
      matched++;
    }
  }
  return matched / Math.min(a.length, b.length);
}
