import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import type { SourceName } from './domain/movie.js';
import {
  brokers,
  port,
  httpUrl,
  mongoUri,
  topicName,
  nonNegative,
  positiveInt,
  fraction,
  duration,
  bool,
  tierOrder,
  criticalOnly,
  logLevel,
  describeIssues,
} from './env-fields.js';

/**
 * Every setting of the service, parsed once from the environment. Nothing else reads
 * process.env: entry points call loadConfig() and pass the result (or slices of it) down.
 * The local stack's own variables are parsed by src/stack/config.ts.
 */

/** Environment variables, their defaults and what is expected of them. */
export const envSchema = z.object({
  // Kafka
  KAFKA_BROKERS: brokers.default(['localhost:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('festival-resolver'),
  KAFKA_GROUP_ID: z.string().min(1).default('festival-resolver'),
  KAFKA_CONNECTION_TIMEOUT_MS: positiveInt.default(3000),
  KAFKA_REQUEST_TIMEOUT_MS: positiveInt.default(10000),
  // Kafka's group.min.session.timeout.ms is 6 s by default: the broker refuses shorter sessions.
  KAFKA_SESSION_TIMEOUT_MS: positiveInt
    .min(6000, 'expected a whole number >= 6000 (the broker minimum)')
    .default(10000),
  // Names this instance across restarts (default: the host name); see src/kafka/group-membership.ts.
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'expected 1–128 letters, digits, ".", "_", ":" or "-"')
    .optional(),
  KAFKA_LEAVE_DEAD_MEMBERS: bool.default(true),
  TOPIC_NOMINATIONS: topicName.default('festival.nominations'),
  TOPIC_RESOLVED: topicName.default('movie.resolved'),
  TOPIC_STUB: topicName.default('movie.stub'),
  TOPIC_RETRY: topicName.default('festival.nominations.retry'),
  TOPIC_DLQ: topicName.default('festival.nominations.dlq'),
  TOPIC_PARTITIONS: positiveInt.default(6),
  SCHEMA_REGISTRY_URL: httpUrl.default('http://localhost:8081'),
  // MongoDB
  MONGODB_URI: mongoUri.default('mongodb://127.0.0.1:27017'),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected a database name (letters, digits, _ and -)')
    .default('festival_resolver'),
  // HTTP (metrics, health)
  HTTP_PORT: port.default(9464),
  LOG_LEVEL: logLevel.default('info'),
  // Sources: endpoints and credentials (defaults are the real services)
  TMDB_BASE_URL: httpUrl.default('https://api.themoviedb.org/3'),
  TMDB_READ_TOKEN: z.string().optional(),
  TMDB_API_KEY: z.string().optional(),
  OMDB_BASE_URL: httpUrl.default('https://www.omdbapi.com/'),
  OMDB_API_KEY: z.string().optional(),
  ZYTE_BASE_URL: httpUrl.default('https://api.zyte.com/v1'),
  ZYTE_API_KEY: z.string().optional(),
  SOURCE_TIMEOUT_MS: positiveInt.default(8000),
  // Costs, rate limits, budgets
  TMDB_COST_USD: nonNegative.default(0),
  OMDB_COST_USD: nonNegative.default(0.001),
  ZYTE_COST_USD: nonNegative.default(0.02),
  TMDB_RATE_PER_SECOND: positiveInt.default(40),
  OMDB_RATE_PER_SECOND: positiveInt.default(10),
  ZYTE_RATE_PER_SECOND: positiveInt.default(5),
  OMDB_DAILY_REQUEST_QUOTA: positiveInt.default(1000),
  OMDB_DAILY_BUDGET_USD: nonNegative.default(5),
  OMDB_MONTHLY_BUDGET_USD: nonNegative.default(50),
  ZYTE_DAILY_BUDGET_USD: nonNegative.default(20),
  ZYTE_MONTHLY_BUDGET_USD: nonNegative.default(200),
  // The chain
  TIER_ORDER: tierOrder.default(['tmdb', 'omdb', 'imdb']),
  TIERS_DISABLED: criticalOnly.default([]),
  TIERS_CRITICAL_ONLY: criticalOnly.default([]),
  MATCH_ACCEPT_THRESHOLD: fraction.default(0.75),
  MATCH_REVIEW_THRESHOLD: fraction.default(0.6),
  RETRY_HORIZON: duration.default(6 * 3_600_000),
  RETRY_BASE_DELAY_MS: positiveInt.default(1000),
  RETRY_MAX_DELAY_MS: positiveInt.default(300_000),
  RETRY_EXHAUSTED_POLICY: z
    .enum(['park', 'fall_through', 'dead_letter'], { message: 'expected park, fall_through or dead_letter' })
    .default('park'),
  PARK_REDRIVE_INTERVAL: duration.default(60_000),
  CONSUMER_CONCURRENCY: positiveInt.default(16),
  CACHE_HIT_TTL_DAYS: positiveInt.default(90),
  CACHE_MISS_TTL_HOURS: positiveInt.default(24),
  CACHE_BLOCKED_TTL_HOURS: positiveInt.default(6),
  STUB_ESCALATION_DAYS: positiveInt.default(30),
  ENRICHMENT_ENABLED: bool.default(true),
  ENRICHMENT_INTERVAL_MINUTES: positiveInt.default(60),
  ENRICHMENT_MAX_PER_PASS: positiveInt.default(100),
  // The curator's console (src/console): its own port, loopback unless told otherwise
  CONSOLE_ENABLED: bool.default(true),
  CONSOLE_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'expected a host name or IP address to listen on, such as 127.0.0.1')
    .default('127.0.0.1'),
  CONSOLE_PORT: port.default(9465),
  CONSOLE_TOKEN: z
    .string()
    .min(16, 'expected at least 16 characters (it guards every action of the console)')
    .optional(),
});

type Env = z.infer<typeof envSchema>;

/** The parsed configuration, grouped by the part of the service that uses it. */
export interface Config {
  kafka: {
    brokers: string[];
    clientId: string;
    groupId: string;
    connectionTimeoutMs: number;
    requestTimeoutMs: number;
    sessionTimeoutMs: number;
    /** INSTANCE_ID, or the host name. */
    instanceId: string;
    /** At start-up, remove the members a dead earlier life of this instance left in the group. */
    leaveDeadMembers: boolean;
    partitions: number;
    topics: { nominations: string; resolved: string; stub: string; retry: string; dlq: string };
  };
  schemaRegistry: { url: string };
  mongo: { uri: string; database: string };
  http: { port: number };
  logLevel: Env['LOG_LEVEL'];
  sources: {
    timeoutMs: number;
    tmdb: { baseUrl: string; readToken?: string; apiKey?: string; costUsd: number; ratePerSecond: number };
    omdb: {
      baseUrl: string;
      apiKey?: string;
      costUsd: number;
      ratePerSecond: number;
      dailyRequestQuota: number;
      dailyBudgetUsd: number;
      monthlyBudgetUsd: number;
    };
    zyte: {
      baseUrl: string;
      apiKey?: string;
      costUsd: number;
      ratePerSecond: number;
      dailyBudgetUsd: number;
      monthlyBudgetUsd: number;
    };
  };
  chain: {
    order: SourceName[];
    disabled: SourceName[];
    criticalOnly: SourceName[];
    acceptThreshold: number;
    reviewThreshold: number;
    /** Transient failures are retried per tier until `horizonMs` after the first one; then `exhaustedPolicy`. */
    retry: {
      horizonMs: number;
      baseDelayMs: number;
      maxDelayMs: number;
      exhaustedPolicy: 'park' | 'fall_through' | 'dead_letter';
      redriveIntervalMs: number;
    };
    concurrency: number;
  };
  /** blockedTtlHours: how long an IMDb page that stayed blocked is not fetched again for another nomination. */
  cache: { hitTtlDays: number; missTtlHours: number; blockedTtlHours: number };
  review: { stubEscalationDays: number };
  enrichment: { enabled: boolean; intervalMinutes: number; maxPerPass: number };
  /** No token: the console is read-only. */
  console: { enabled: boolean; host: string; port: number; token?: string };
}

/** Parses the environment; throws one ConfigError naming every bad variable. */
function parseEnv(env: Record<string, string | undefined>): Env {
  // Empty strings count as unset so that `FOO= cmd` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = describeIssues(result.error, env);
    throw new ConfigError(
      `Invalid configuration:\n  - ${lines.join('\n  - ')}\nFix the variables above (see the configuration table in README.md) and start again.`,
      lines,
    );
  }
  const parsed = result.data;
  if (parsed.MATCH_REVIEW_THRESHOLD > parsed.MATCH_ACCEPT_THRESHOLD) {
    const line = `MATCH_REVIEW_THRESHOLD: must not exceed MATCH_ACCEPT_THRESHOLD (${parsed.MATCH_ACCEPT_THRESHOLD}); got ${parsed.MATCH_REVIEW_THRESHOLD}`;
    throw new ConfigError(`Invalid configuration:\n  - ${line}\nFix the variables above and start again.`, [
      line,
    ]);
  }
  return parsed;
}

/** Builds the grouped Config from parsed variables. */
function toConfig(e: Env): Config {
  return {
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID,
      groupId: e.KAFKA_GROUP_ID,
      connectionTimeoutMs: e.KAFKA_CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: e.KAFKA_REQUEST_TIMEOUT_MS,
      sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
      instanceId: e.INSTANCE_ID ?? hostname(),
      leaveDeadMembers: e.KAFKA_LEAVE_DEAD_MEMBERS,
      partitions: e.TOPIC_PARTITIONS,
      topics: {
        nominations: e.TOPIC_NOMINATIONS,
        resolved: e.TOPIC_RESOLVED,
        stub: e.TOPIC_STUB,
        retry: e.TOPIC_RETRY,
        dlq: e.TOPIC_DLQ,
      },
    },
    schemaRegistry: { url: e.SCHEMA_REGISTRY_URL },
    mongo: { uri: e.MONGODB_URI, database: e.MONGODB_DATABASE },
    http: { port: e.HTTP_PORT },
    logLevel: e.LOG_LEVEL,
    sources: {
      timeoutMs: e.SOURCE_TIMEOUT_MS,
      tmdb: {
        baseUrl: e.TMDB_BASE_URL,
        readToken: e.TMDB_READ_TOKEN,
        apiKey: e.TMDB_API_KEY,
        costUsd: e.TMDB_COST_USD,
        ratePerSecond: e.TMDB_RATE_PER_SECOND,
      },
      omdb: {
        baseUrl: e.OMDB_BASE_URL,
        apiKey: e.OMDB_API_KEY,
        costUsd: e.OMDB_COST_USD,
        ratePerSecond: e.OMDB_RATE_PER_SECOND,
        dailyRequestQuota: e.OMDB_DAILY_REQUEST_QUOTA,
        dailyBudgetUsd: e.OMDB_DAILY_BUDGET_USD,
        monthlyBudgetUsd: e.OMDB_MONTHLY_BUDGET_USD,
      },
      zyte: {
        baseUrl: e.ZYTE_BASE_URL,
        apiKey: e.ZYTE_API_KEY,
        costUsd: e.ZYTE_COST_USD,
        ratePerSecond: e.ZYTE_RATE_PER_SECOND,
        dailyBudgetUsd: e.ZYTE_DAILY_BUDGET_USD,
        monthlyBudgetUsd: e.ZYTE_MONTHLY_BUDGET_USD,
      },
    },
    chain: {
      order: e.TIER_ORDER,
      disabled: e.TIERS_DISABLED,
      criticalOnly: e.TIERS_CRITICAL_ONLY,
      acceptThreshold: e.MATCH_ACCEPT_THRESHOLD,
      reviewThreshold: e.MATCH_REVIEW_THRESHOLD,
      retry: {
        horizonMs: e.RETRY_HORIZON,
        baseDelayMs: e.RETRY_BASE_DELAY_MS,
        maxDelayMs: e.RETRY_MAX_DELAY_MS,
        exhaustedPolicy: e.RETRY_EXHAUSTED_POLICY,
        redriveIntervalMs: e.PARK_REDRIVE_INTERVAL,
      },
      concurrency: e.CONSUMER_CONCURRENCY,
    },
    cache: {
      hitTtlDays: e.CACHE_HIT_TTL_DAYS,
      missTtlHours: e.CACHE_MISS_TTL_HOURS,
      blockedTtlHours: e.CACHE_BLOCKED_TTL_HOURS,
    },
    review: { stubEscalationDays: e.STUB_ESCALATION_DAYS },
    enrichment: {
      enabled: e.ENRICHMENT_ENABLED,
      intervalMinutes: e.ENRICHMENT_INTERVAL_MINUTES,
      maxPerPass: e.ENRICHMENT_MAX_PER_PASS,
    },
    console: {
      enabled: e.CONSOLE_ENABLED,
      host: e.CONSOLE_HOST,
      port: e.CONSOLE_PORT,
      ...(e.CONSOLE_TOKEN === undefined ? {} : { token: e.CONSOLE_TOKEN }),
    },
  };
}

/** The variable an operator fixes when a source rejects its key: the one that is configured. */
export function sourceKeyVariables(config: Config): Record<SourceName, string> {
  const { tmdb } = config.sources;
  return {
    tmdb: tmdb.readToken
      ? 'TMDB_READ_TOKEN'
      : tmdb.apiKey
        ? 'TMDB_API_KEY'
        : 'TMDB_READ_TOKEN (or TMDB_API_KEY)',
    omdb: 'OMDB_API_KEY',
    imdb: 'ZYTE_API_KEY',
  };
}

/** Parses process.env (or the given map) into a Config; throws ConfigError on any bad value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return toConfig(parseEnv(env));
}
