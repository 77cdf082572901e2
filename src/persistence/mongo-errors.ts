/** Narrowing helpers for the server errors the repositories branch on. */

interface ServerErrorShape {
  code?: unknown;
  message?: unknown;
}

function shape(error: unknown): ServerErrorShape {
  return typeof error === 'object' && error !== null ? (error) : {};
}

/**
 * E11000: a unique index refused the write (the one atomic primitive FerretDB 1.24 and MongoDB share).
 * FerretDB 1.24 (SQLite) says so only for inserts: an update that breaks a unique index comes
 * back as code 1 with SQLite's "UNIQUE constraint failed" (test/issues/ferretdb-unique-update.test.ts).
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const { code, message } = shape(error);
  return code === 11000 || (code === 1 && typeof message === 'string' && message.includes('UNIQUE constraint failed'));
}

/**
 * FerretDB answers code 238 (NotImplemented) for index options it lacks, such as
 * expireAfterSeconds and partialFilterExpression; MongoDB never does.
 */
export function isNotImplementedError(error: unknown): boolean {
  const { code, message } = shape(error);
  return code === 238 || (typeof message === 'string' && /not implemented/i.test(message));
}
