import type avro from 'avsc';
import { RegistryError } from './errors.js';

/** The compatibility levels of Confluent Schema Registry. */
export const compatibilityLevels = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;

export type CompatibilityLevel = (typeof compatibilityLevels)[number];

export const defaultCompatibilityLevel: CompatibilityLevel = 'BACKWARD';

export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (compatibilityLevels as readonly string[]).includes(value);
}

/** Accepts a level in any letter case, as the real registry does; throws 42203 otherwise. */
export function parseCompatibilityLevel(value: unknown): CompatibilityLevel {
  const upper = typeof value === 'string' ? value.toUpperCase() : value;
  if (isCompatibilityLevel(upper)) return upper;
  throw RegistryError.of(
    'invalidCompatibilityLevel',
    `Invalid compatibility level. Valid values are ${compatibilityLevels.join(', ')}`,
  );
}

/** One earlier schema of a subject, as the check sees it. */
export interface VersionedType {
  version: number;
  type: avro.Type;
}

/** Why `reader` cannot read data written with `writer`, or undefined when it can. */
function readProblem(reader: avro.Type, writer: avro.Type): string | undefined {
  try {
    reader.createResolver(writer);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Checks a candidate schema against the earlier versions of a subject (oldest first) under
 * `level`, with Avro's own resolution rules: BACKWARD means the candidate can read data
 * written with an earlier schema, FORWARD that an earlier schema can read data written with
 * the candidate, FULL both. A non-transitive level looks at the latest version only.
 * Returns the problems found; an empty list means compatible.
 */
export function checkCompatibility(
  candidate: avro.Type,
  previous: readonly VersionedType[],
  level: CompatibilityLevel,
): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const transitive = level.endsWith('_TRANSITIVE');
  const against = transitive ? previous : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const problems: string[] = [];
  for (const earlier of against) {
    if (backward) {
      const problem = readProblem(candidate, earlier.type);
      if (problem !== undefined) {
        problems.push(`the new schema cannot read data written with version ${earlier.version} (${problem})`);
      }
    }
    if (forward) {
      const problem = readProblem(earlier.type, candidate);
      if (problem !== undefined) {
        problems.push(`version ${earlier.version} cannot read data written with the new schema (${problem})`);
      }
    }
  }
  return problems;
}
