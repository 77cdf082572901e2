/** Narrowing helpers for the server errors the repositories branch on. */

interface ServerErrorShape {
  code?: unknown;
  message?: unknown;
}

function shape(error: unknown): ServerErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

/** E11000: a unique index refused the write (two upserts raced to create one document, say). */
export function isDuplicateKeyError(error: unknown): boolean {
  return shape(error).code === 11000;
}

/**
 * A server on PostgreSQL (FerretDB) may abort one of two writes racing on a unique index
 * with "deadlock detected": nothing of the aborted write is kept, so it is a lost race and
 * the write may simply be tried again. MongoDB never says it.
 */
export function isAbortedRace(error: unknown): boolean {
  const message = shape(error).message;
  return typeof message === 'string' && /deadlock detected|could not serialize/i.test(message);
}
