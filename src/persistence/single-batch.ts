/**
 * Find options for reading at most `limit` documents in one reply, the cursor closed with it.
 *
 * Without `singleBatch`, a find with a limit leaves a cursor open on the local stack's
 * FerretDB (DocumentDB on PostgreSQL): the server keeps the PostgreSQL connection for that
 * cursor and closes it afterwards, so each such query costs a new PostgreSQL backend. On the
 * movie write path that was two backends per nomination and about a third of the store's CPU.
 * MongoDB answers both forms alike; every bounded read that is not paged says this.
 */
export function singleBatch(limit: number): { limit: number; singleBatch: true } {
  return { limit, singleBatch: true };
}
