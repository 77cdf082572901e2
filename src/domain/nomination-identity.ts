import type { Nomination } from './nomination.js';

/**
 * A nomination id names one nomination; `producedAt` orders what its producer said about it.
 * The content of a version is what the festival announced: festival, edition, category, the
 * film (IMDb ID, titles, year, directors), people, won and critical. Field order does not
 * matter; the order of a list (directors, people) does, as the producer sent it.
 *
 * - no stored version: `new`;
 * - a newer producedAt: `newer`, applied whole (content and movie link);
 * - the same producedAt and the same content: `same`, a redelivery that changes nothing;
 * - the same producedAt and different content: `conflict`, two facts claim the same instant
 *   and neither can be preferred (dead-lettered as NOMINATION_CONFLICT);
 * - an older producedAt: `stale`, ignored (counted, committed, no upstream call).
 */

/** The announced fields of a nomination, in the shape both the message and the stored document have. */
export type NominationContent = Pick<
  Nomination,
  'festival' | 'editionYear' | 'category' | 'film' | 'people' | 'won' | 'critical'
>;

export type NominationStanding =
  | { kind: 'new' }
  | { kind: 'newer'; storedProducedAt: number }
  | { kind: 'same' }
  | { kind: 'stale'; storedProducedAt: number }
  | { kind: 'conflict'; storedProducedAt: number; fields: string[] };

/** A movie owed an event because a nomination moved to or from it, at the version that moved it. */
export interface MovieEventDue {
  movieKey: string;
  producedAt: number;
}

/** What recording a version did; `eventsDue` is every movie event the nomination's moves still owe. */
export type NominationWrite = { eventsDue: MovieEventDue[] } & (
  | { kind: 'created' }
  /** A newer version replaced the stored one; `movedFrom` when it moved to another movie. */
  | { kind: 'applied'; movedFrom?: string }
  /** The same version, now linked to the movie its film resolves to. */
  | { kind: 'relinked'; movedFrom: string }
  | { kind: 'unchanged' }
  | { kind: 'stale'; storedProducedAt: number }
  | { kind: 'conflict'; storedProducedAt: number; fields: string[] }
);

const filmFields = ['imdbId', 'title', 'originalTitle', 'year', 'directors'] as const;
const topFields = ['festival', 'editionYear', 'category', 'people', 'won', 'critical'] as const;

/** The fields whose values differ (`film.title` for a film field), in a fixed order; [] when the content is the same. */
export function differingFields(a: NominationContent, b: NominationContent): string[] {
  const differing: string[] = [];
  for (const field of topFields) if (!sameValue(a[field], b[field])) differing.push(field);
  for (const field of filmFields)
    if (!sameValue(a.film[field], b.film[field])) differing.push(`film.${field}`);
  return differing;
}

/** How an incoming version compares with the stored one of the same id. */
export function nominationStanding(
  incoming: Pick<Nomination, 'producedAt'> & NominationContent,
  stored: (Pick<Nomination, 'producedAt'> & NominationContent) | null,
): NominationStanding {
  if (stored === null) return { kind: 'new' };
  const storedProducedAt = stored.producedAt;
  if (incoming.producedAt > storedProducedAt) return { kind: 'newer', storedProducedAt };
  if (incoming.producedAt < storedProducedAt) return { kind: 'stale', storedProducedAt };
  const fields = differingFields(incoming, stored);
  return fields.length === 0 ? { kind: 'same' } : { kind: 'conflict', storedProducedAt, fields };
}

// The values are strings, numbers, booleans, null or lists of strings (the film is compared
// field by field, so the order of its fields does not matter); a missing value and null are
// the same statement.
function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return JSON.stringify(value);
}
