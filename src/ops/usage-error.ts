/** A mistake in what an operator asked for (bad option, unknown key): printed as is, exit 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
