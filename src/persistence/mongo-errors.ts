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
