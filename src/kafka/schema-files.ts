import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Avro schemas of the service, one file each in schemas/ at the repo root. */
const schemaFiles = {
  nomination: 'nomination.avsc',
  movieResolved: 'movie-resolved.avsc',
  movieStub: 'movie-stub.avsc',
} as const;

export type SchemaName = keyof typeof schemaFiles;

/** Raw Avro record schema as parsed JSON. */
export interface RawRecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  doc?: string;
  fields: { name: string; type: unknown; default?: unknown; doc?: string }[];
}

// Resolved from this file so that it works under tsx, from dist/ and from any cwd.
const schemasDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** Reads and parses one schema file; a broken file is a bug of the build, so it throws. */
export function loadSchema(name: SchemaName): RawRecordSchema {
  const path = `${schemasDir}${schemaFiles[name]}`;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as RawRecordSchema;
  if (parsed.type !== 'record' || !Array.isArray(parsed.fields))
    throw new Error(`${path} is not an Avro record schema`);
  return parsed;
}
