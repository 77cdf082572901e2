/**
 * Drops members that are undefined: records compare and serialise cleanly, and the MongoDB
 * driver would otherwise store them as null (which collides in a unique index).
 */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
