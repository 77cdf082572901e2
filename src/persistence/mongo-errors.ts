/** Narrowing helpers for the server errors the repositories branch on. */

interface ServerErrorShape {
  code?: unknown;
  message?: unknown;
}

function shape(error: unknown): ServerErrorShape {
  return typeof error === 'object' && error !== null ? (error) : {};
}

/** E11000: a unique index refused the write (the one atomic primitive FerretDB 1.24 and MongoDB share). */
export function isDuplicateKeyError(error: unknown): boolean {
  return shape(error).code === 11000;
}

/**
 * FerretDB answers code 238 (NotImplemented) for index options it lacks, such as
 * expireAfterSeconds and partialFilterExpression; MongoDB never does.
 */
export function isNotImplementedError(error: unknown): boolean {
  const { code, message } = shape(error);
  return code === 238 || (typeof message === 'string' && /not implemented/i.test(message));
}
