import type { SourceName } from '../domain/movie.js';
import type { BudgetPort, BudgetReservation, CachedLookup, LookupCachePort } from '../resolver/ports.js';
import type { LookupOutcome } from '../sources/outcome.js';
import type { LookupCache } from './lookup-cache.js';
import type { Reservation, SpendLedger } from './spend-ledger.js';

type Found = Extract<LookupOutcome, { kind: 'found' }>;

/** The resolver's cache port on the lookup_cache collection (attempts are not cached: a hit costs nothing). */
export function cachePort(cache: LookupCache): LookupCachePort {
  return {
    async get(source, identifier): Promise<CachedLookup | undefined> {
      const entry = await cache.get<Omit<Found, 'attempts'>>(source, identifier);
      if (entry === null) return undefined;
      if (entry.kind === 'found') return { kind: 'found', outcome: { ...entry.value, attempts: [] } };
      return { kind: entry.kind };
    },
    async setFound(source, identifier, outcome) {
      const { attempts: _attempts, ...value } = outcome;
      await cache.set(source, identifier, { kind: 'found', value });
    },
    async setMiss(source, identifier) {
      await cache.set(source, identifier, { kind: 'not_found' });
    },
    async setBlocked(source, identifier) {
      await cache.set(source, identifier, { kind: 'blocked' });
    },
  };
}

/**
 * The resolver's budget port on the shared spend ledger: a lookup that may make `requests`
 * paid requests reserves each of them up front; what it did not spend is released after.
 */
export function budgetPort(ledger: SpendLedger): BudgetPort {
  return {
    async reserve(source: SourceName, usd: number, requests: number): Promise<BudgetReservation> {
      const perRequest = requests > 0 ? usd / requests : usd;
      const granted: Reservation[] = [];
      for (let i = 0; i < Math.max(1, requests); i += 1) {
        const result = await ledger.reserve(source, { costUsd: perRequest });
        if (!result.ok) {
          for (const r of granted) await ledger.release(r);
          return { ok: false, period: result.period };
        }
        granted.push(result.reservation);
      }
      return {
        ok: true,
        async release(unusedUsd: number) {
          const unused = perRequest > 0 ? Math.min(granted.length, Math.round(unusedUsd / perRequest)) : 0;
          for (const r of granted.slice(granted.length - unused)) await ledger.release(r);
        },
      };
    },
  };
}
