import { invalidVersion, subjectNotFound, versionNotFound } from './errors.js';
import type { RegistryState, SubjectState } from './store.js';

type SubjectVersion = SubjectState['versions'][number];

/** A version path segment: a positive 32-bit number, or `latest` (or -1, its Confluent alias). */
export type VersionId = number | 'latest';

const maxVersion = 2 ** 31 - 1;

/** Throws 42202 for anything that is not a version id. */
export function parseVersionId(text: string): VersionId {
  if (text === 'latest' || text === '-1') return 'latest';
  if (/^[0-9]+$/.test(text)) {
    const version = Number(text);
    if (version >= 1 && version <= maxVersion) return version;
  }
  throw invalidVersion(text);
}

/** The versions a reader sees: soft-deleted ones only when asked for with `deleted=true`. */
export function visibleVersions(
  subject: SubjectState | undefined,
  includeDeleted: boolean,
): SubjectVersion[] {
  if (subject === undefined) return [];
  return includeDeleted ? subject.versions : subject.versions.filter((entry) => !entry.deleted);
}

/** The versions of a subject that exist for readers; throws 40401 when there are none. */
export function requireVersions(
  state: RegistryState,
  subject: string,
  includeDeleted: boolean,
): SubjectVersion[] {
  const versions = visibleVersions(state.subjects[subject], includeDeleted);
  if (versions.length === 0) throw subjectNotFound(subject);
  return versions;
}

/** One version of a subject; throws 40401 or 40402. */
export function requireVersion(
  state: RegistryState,
  subject: string,
  versionId: VersionId,
  includeDeleted: boolean,
): SubjectVersion {
  const versions = requireVersions(state, subject, includeDeleted);
  const found =
    versionId === 'latest' ? versions.at(-1) : versions.find((entry) => entry.version === versionId);
  if (found === undefined) throw versionNotFound(subject, versionId);
  return found;
}

/** Version numbers continue after soft deletes, as in the real registry. */
export function nextVersion(subject: SubjectState | undefined): number {
  return (subject?.versions ?? []).reduce((max, entry) => Math.max(max, entry.version), 0) + 1;
}
