import { z } from 'zod';
import { imdbIdPattern, type Nomination } from './nomination.js';

/**
 * Validation of a decoded nomination record before anything of it reaches MongoDB or an
 * upstream URL. Avro guarantees types, not sense: a producer can still send a title of
 * `{"$gt": ""}`, a year of 0 or ten thousand directors. Errors are data: the consumer
 * dead-letters an invalid record with the reason and the field.
 */

/** The outcome of validating one record. */
export type NominationValidation =
  { ok: true; nomination: Nomination } | { ok: false; reason: string; field: string };

/** Bounds of a plausible nomination; exported so that tests and docs name the same numbers. */
export const nominationLimits = {
  /** The year of the first films (Roundhay Garden Scene). */
  minYear: 1888,
  /** Announced lineups and working titles reach a few years ahead, not more. */
  yearsAhead: 5,
  maxTitleLength: 500,
  maxNameLength: 300,
  maxIdLength: 300,
  maxFestivalLength: 100,
  maxCategoryLength: 200,
  maxDirectors: 50,
  maxPeople: 200,
} as const;

export interface NominationValidationOptions {
  /** The current year (default: from the clock); years up to this + 5 are plausible. */
  currentYear?: number;
}

/** Why a string must not go into a MongoDB query or document, or null when it may. */
export function operatorProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'contains a NUL character';
  const trimmed = value.trim();
  if (trimmed.startsWith('$')) return 'starts with "$" (looks like a MongoDB operator)';
  if (trimmed.startsWith('{') && hasDollarKey(tryParseJson(trimmed)))
    return 'is a JSON object with a "$" key (looks like a MongoDB query operator)';
  return null;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function hasDollarKey(value: unknown, depth = 0): boolean {
  if (depth > 20 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => hasDollarKey(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.startsWith('$') || hasDollarKey(v, depth + 1));
}

/** A trimmed string that is safe to store: no operator look-alikes, no NUL, bounded length. */
function safeString(what: string, maxLength: number) {
  return z
    .string({ message: `${what} must be a string` })
    .transform((s) => s.trim())
    .superRefine((s, ctx) => {
      const problem = operatorProblem(s);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: `${what} ${problem}` });
      else if (s.length > maxLength)
        ctx.addIssue({
          code: 'custom',
          message: `${what} is longer than ${maxLength} characters (${s.length})`,
        });
    });
}

function requiredString(what: string, maxLength: number) {
  return safeString(what, maxLength).refine((s) => s.length > 0, { message: `${what} is empty` });
}

/** null, undefined and blank all mean "not given". */
function optionalString(what: string, maxLength: number) {
  return safeString(what, maxLength)
    .nullish()
    .transform((s) => (s === undefined || s === null || s === '' ? null : s));
}

function plausibleYear(what: string, currentYear: number) {
  const max = currentYear + nominationLimits.yearsAhead;
  return z
    .number({ message: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(
      nominationLimits.minYear,
      `${what} is before ${nominationLimits.minYear}, the year of the first films`,
    )
    .max(max, `${what} is after ${max} (more than ${nominationLimits.yearsAhead} years ahead)`);
}

function nameList(what: string, maxItems: number) {
  return z
    .array(requiredString(`each of ${what}`, nominationLimits.maxNameLength), {
      message: `${what} must be a list of strings`,
    })
    .max(maxItems, `${what} has more than ${maxItems} entries`)
    .optional()
    .transform((list) => list ?? []);
}

/** Avro timestamp-millis may decode as a number, a Long-like bigint or a Date. */
const epochMillis = z.unknown().transform((value, ctx) => {
  const n = typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.getTime() : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
  ctx.addIssue({ code: 'custom', message: 'producedAt must be non-negative epoch milliseconds' });
  return z.NEVER;
});

function nominationSchema(currentYear: number) {
  const film = z.object(
    {
      imdbId: optionalString('film.imdbId', nominationLimits.maxIdLength).refine(
        (id) => id === null || imdbIdPattern.test(id),
        {
          message: 'film.imdbId is not an IMDb title id (tt and 7 to 10 digits)',
        },
      ),
      title: requiredString('film.title', nominationLimits.maxTitleLength),
      originalTitle: optionalString('film.originalTitle', nominationLimits.maxTitleLength),
      year: plausibleYear('film.year', currentYear)
        .nullish()
        .transform((y) => y ?? null),
      directors: nameList('film.directors', nominationLimits.maxDirectors),
    },
    { message: 'film must be a record' },
  );
  return z.object(
    {
      nominationId: requiredString('nominationId', nominationLimits.maxIdLength),
      festival: requiredString('festival', nominationLimits.maxFestivalLength).refine(
        (s) => /^[a-z0-9_]+$/.test(s),
        {
          message: 'festival must be a key of lower-case letters, digits and "_" (for example cannes_2025)',
        },
      ),
      editionYear: plausibleYear('editionYear', currentYear),
      category: requiredString('category', nominationLimits.maxCategoryLength),
      film,
      people: nameList('people', nominationLimits.maxPeople),
      won: z
        .boolean({ message: 'won must be true or false' })
        .optional()
        .transform((b) => b ?? false),
      critical: z
        .boolean({ message: 'critical must be true or false' })
        .optional()
        .transform((b) => b ?? false),
      producedAt: epochMillis,
    },
    { message: 'a nomination must be a record' },
  );
}

// Building a zod schema costs far more than using it: keep one per current year.
const schemas = new Map<number, ReturnType<typeof nominationSchema>>();

function schemaFor(currentYear: number): ReturnType<typeof nominationSchema> {
  let schema = schemas.get(currentYear);
  if (schema === undefined) {
    schema = nominationSchema(currentYear);
    schemas.set(currentYear, schema);
  }
  return schema;
}

/** Validates a decoded record into a Nomination, or says which field is wrong and why. */
export function validateNomination(
  record: unknown,
  options: NominationValidationOptions = {},
): NominationValidation {
  const currentYear = options.currentYear ?? new Date().getUTCFullYear();
  const result = schemaFor(currentYear).safeParse(record);
  if (result.success) return { ok: true, nomination: result.data };
  const issue = result.error.issues[0];
  const field =
    issue === undefined || issue.path.length === 0 ? '(record)' : issue.path.map(String).join('.');
  // zod's own messages for missing fields do not name the field; ours do.
  const reason =
    issue === undefined
      ? 'invalid nomination'
      : issue.message.includes(field) || field === '(record)'
        ? issue.message
        : `${field}: ${issue.message}`;
  return { ok: false, reason, field };
}
