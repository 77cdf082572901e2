import { randomUUID } from 'node:crypto';

/** A name no other test uses: every test owns its topics, groups and databases. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Database names allow letters, digits and underscores only. */
export function uniqueDbName(prefix = 'test'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}
