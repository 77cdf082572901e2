import type { Nomination } from '../domain/nomination.js';
import { filmKey } from '../domain/film-key.js';

/**
 * The Kafka key of a nomination: the film key (IMDb ID, or title:<normalised title>:<year>),
 * so that every nomination of one film lands on one partition and is resolved in order.
 */
export function nominationKey(nomination: Pick<Nomination, 'film'>): string {
  return filmKey(nomination.film);
}
