import { z } from 'zod';
import type { SourceName } from './domain/movie.js';

/** The shapes of environment variables, shared by the service's and the local stack's configuration. */

const hostPort = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$/;

export const brokers = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
  )
  .refine(
    (list) => list.length > 0 && list.every((b) => hostPort.test(b) && Number(b.split(':')[1]) <= 65535),
    {
      message: 'expected a comma-separated list of host:port (for example localhost:9092)',
    },
  );

export const port = z.coerce
  .number({ message: 'expected a TCP port number' })
  .int('expected a whole number')
  .min(0, 'expected a TCP port between 0 and 65535')
  .max(65535, 'expected a TCP port between 0 and 65535');

export const httpUrl = z.string().url({ message: 'expected an http(s) URL such as http://localhost:8081' });

export const mongoUri = z
  .string()
  .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'expected a MongoDB URI such as mongodb://127.0.0.1:27017');

export const topicName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,249}$/, 'expected a Kafka topic name (letters, digits, ".", "_", "-")');

export const nonNegative = z.coerce.number({ message: 'expected a number' }).min(0, 'expected a number >= 0');
export const positiveInt = z.coerce
  .number({ message: 'expected a number' })
  .int('expected a whole number')
  .min(1, 'expected a whole number >= 1');
export const fraction = z.coerce
  .number({ message: 'expected a number' })
  .min(0, 'expected a number in [0, 1]')
  .max(1, 'expected a number in [0, 1]');

const durationUnits = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const duration = z
  .string()
  .regex(/^\s*\d+(\.\d+)?\s*[smhd]\s*$/i, 'expected a duration such as 90s, 30m, 6h or 2d')
  .transform((t) => {
    const unit = t.trim().slice(-1).toLowerCase() as keyof typeof durationUnits;
    return Math.round(Number(t.trim().slice(0, -1)) * durationUnits[unit]);
  });

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const sourceName = z.enum(['tmdb', 'omdb', 'imdb']) satisfies z.ZodType<SourceName>;

export const tierOrder = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t.length > 0),
  )
  .pipe(
    z
      .array(sourceName, { message: 'expected a comma-separated list of tmdb, omdb, imdb' })
      .min(1)
      .refine((l) => new Set(l).size === l.length, 'a tier may appear only once'),
  );

export const criticalOnly = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t.length > 0),
  )
  .pipe(
    z.array(sourceName, { message: 'expected a comma-separated list of tmdb, omdb, imdb (may be empty)' }),
  );

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'expected one of fatal, error, warn, info, debug, trace, silent',
});

/** One line per bad variable, naming it and what was expected; secrets are never echoed. */
export function describeIssues(error: z.ZodError, env: Record<string, string | undefined>): string[] {
  return error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(unknown)');
    const got = env[variable];
    const shown =
      got === undefined
        ? 'it is not set'
        : `got ${JSON.stringify(got.length > 80 ? `${got.slice(0, 80)}…` : got)}`;
    const secret = /KEY|TOKEN|PASSWORD|SECRET/.test(variable);
    return `${variable}: ${issue.message}; ${secret ? 'value hidden' : shown}`;
  });
}
