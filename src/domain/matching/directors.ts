import { foldDiacritics } from './normalise.js';
import { levenshtein, skeleton } from './similarity.js';

/**
 * Director evidence: how many of the directors two sources name are the same people,
 * tolerant of initials ("J. Lee Thompson" / "J Lee Thompson"), name order ("Kore-eda
 * Hirokazu" / "Hirokazu Kore-eda"), hyphens and romanisation ("Andrei Tarkovsky" /
 * "Andrey Tarkovskiy").
 */

/** A name part as written (folded) and as its spelling skeleton. */
interface NamePart {
  plain: string;
  skel: string;
}

function nameParts(name: string): NamePart[] {
  return foldDiacritics(name)
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0)
    .map((plain) => ({ plain, skel: skeleton(plain) }));
}

function sameNamePart(a: NamePart, b: NamePart): boolean {
  if (a.skel === b.skel) return true;
  // An initial stands for any name starting with that letter as written, before the
  // skeleton rewrites it ("C." for "Christophe", whose skeleton starts with k).
  if (a.plain.length === 1 || b.plain.length === 1) return a.plain[0] === b.plain[0];
  const shorter = Math.min(a.skel.length, b.skel.length);
  return shorter >= 5 && levenshtein(a.skel, b.skel) <= (shorter >= 8 ? 2 : 1);
}

/** Whether two director names denote the same person. */
export function sameDirector(a: string, b: string): boolean {
  const ta = nameParts(a);
  const tb = nameParts(b);
  if (ta.length === 0 || tb.length === 0) return false;
  const skel = (parts: NamePart[]) => parts.map((p) => p.skel);
  if (skel(ta).join('') === skel(tb).join('')) return true;
  if (skel(ta).sort().join('') === skel(tb).sort().join('')) return true;
  // Every part of the shorter name must pair with a distinct part of the longer one (a
  // middle name may be missing), and at least one paired part must be a full word.
  const [short, long] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  const used = new Set<number>();
  let fullWords = 0;
  for (const part of short) {
    const index = long.findIndex((other, i) => !used.has(i) && sameNamePart(part, other));
    if (index < 0) return false;
    used.add(index);
    if (part.plain.length > 1 && (long[index]?.plain.length ?? 0) > 1) fullWords++;
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
