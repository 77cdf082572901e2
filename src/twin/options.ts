import { z } from 'zod';

/** Credentials the twin accepts by default; fake values, safe to print (they open nothing real). */
export const TWIN_TMDB_TOKEN = 'twin-tmdb-read-token';
export const TWIN_TMDB_API_KEY = 'twin-tmdb-api-key';
export const TWIN_OMDB_KEY = 'twin-omdb-key';
export const TWIN_ZYTE_KEY = 'twin-zyte-key';

/** The twin's three services. */
export type TwinService = 'tmdb' | 'omdb' | 'zyte';

const rateLimitSchema = z.object({
  /** Requests allowed per window; more answer 429. */
  requests: z.number().int().positive(),
  windowMs: z.number().int().positive(),
  /** TMDb does not always send Retry-After: 'sometimes' flips a seeded coin. */
  retryAfter: z.enum(['always', 'never', 'sometimes']).default('sometimes'),
});

const outageSchema = z.object({
  /** Epoch ms; the outage starts then (default: now). */
  startsAt: z.number().default(0),
  /** Epoch ms; null: until the options change. */
  endsAt: z.number().nullable().default(null),
});

/** How one service behaves: slowness, limits and failures. */
const serviceBehaviourSchema = z.object({
  latencyMs: z.number().int().nonnegative().default(0),
  jitterMs: z.number().int().nonnegative().default(0),
  rateLimit: rateLimitSchema.nullable().default(null),
  /** Fraction of requests answered with a transient server error (TMDb 24/43/46, OMDb 503, Zyte 520). */
  errorRate: z.number().min(0).max(1).default(0),
  /** Fraction of requests that hang for hangMs, then lose the connection. */
  timeoutRate: z.number().min(0).max(1).default(0),
  hangMs: z.number().int().nonnegative().default(30_000),
  /** Fraction of 200 answers whose JSON body is cut in half. */
  malformedRate: z.number().min(0).max(1).default(0),
  outage: outageSchema.nullable().default(null),
});
export type ServiceBehaviour = z.infer<typeof serviceBehaviourSchema>;

export const twinOptionsSchema = z.object({
  /** Seeds the PRNG behind error, timeout, malformed and Retry-After draws. */
  seed: z.number().int().default(1),
  keys: z
    .object({
      tmdbTokens: z.array(z.string()).default([TWIN_TMDB_TOKEN]),
      tmdbApiKeys: z.array(z.string()).default([TWIN_TMDB_API_KEY]),
      omdbKeys: z.array(z.string()).default([TWIN_OMDB_KEY]),
      zyteKeys: z.array(z.string()).default([TWIN_ZYTE_KEY]),
    })
    .prefault({}),
  tmdb: serviceBehaviourSchema.prefault({}),
  omdb: serviceBehaviourSchema
    .extend({
      /** Requests per UTC day before "Request limit reached!" (free keys: 1,000); null: unlimited. */
      dailyQuota: z.number().int().positive().nullable().default(null),
      /** What `i=` answers for a well-formed id OMDb lacks: the real OMDb says "Error getting data." (HTTP 200). */
      unknownIdError: z.string().min(1).default('Error getting data.'),
    })
    .prefault({}),
  zyte: serviceBehaviourSchema
    .extend({
      /** Fraction of requests answered 521 (Zyte internal error), on top of errorRate's 520. */
      internalErrorRate: z.number().min(0).max(1).default(0),
      /** After this many charged requests the account is suspended (403); null: no limit. */
      spendingLimitRequests: z.number().int().nonnegative().nullable().default(null),
      costUsd: z.number().nonnegative().default(0.02),
    })
    .prefault({}),
});

/** Everything that changes how the twin behaves; all of it can change at run time. */
export type TwinOptions = z.infer<typeof twinOptionsSchema>;
/** Input form of the options: every field optional, defaults filled in by the schema. */
export type TwinOptionsInput = z.input<typeof twinOptionsSchema>;

type DeepPartial<T> = T extends (infer U)[]
  ? U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | null }
    : T;
/** A change to the current options: nested objects merge, arrays and null replace. */
export type TwinOptionsPatch = DeepPartial<TwinOptions>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch) || !isPlainObject(base)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    out[key] = merge(base[key], value);
  }
  return out;
}

/** Applies a patch and validates the result (throws a ZodError naming the bad field). */
export function applyOptionsPatch(current: TwinOptions, patch: unknown): TwinOptions {
  return twinOptionsSchema.parse(merge(current, patch));
}
