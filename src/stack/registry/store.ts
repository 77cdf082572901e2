import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { compatibilityLevels, defaultCompatibilityLevel } from './avro-compatibility.js';
import { RegistryError } from './errors.js';

const compatibilityLevelSchema = z.enum(compatibilityLevels);

/** The registry's whole state as it is kept on disk (format version 1). */
export const registryStateSchema = z.object({
  formatVersion: z.literal(1),
  /** Global ids are never reused, even after a permanent delete. */
  nextId: z.number().int().positive(),
  compatibility: compatibilityLevelSchema,
  schemas: z.array(z.object({ id: z.number().int().positive(), schema: z.string() })),
  subjects: z.record(
    z.string(),
    z.object({
      versions: z.array(
        z.object({
          version: z.number().int().positive(),
          id: z.number().int().positive(),
          deleted: z.boolean(),
        }),
      ),
      compatibility: compatibilityLevelSchema.optional(),
    }),
  ),
});

export type RegistryState = z.infer<typeof registryStateSchema>;
export type SubjectState = RegistryState['subjects'][string];

export function emptyRegistryState(): RegistryState {
  return { formatVersion: 1, nextId: 1, compatibility: defaultCompatibilityLevel, schemas: [], subjects: {} };
}

/** Where the state lives inside the data directory. */
export const stateFileName = 'registry.json';

/**
 * Keeps the state in one JSON file, replaced atomically (write a temporary file, fsync, rename)
 * so that a crash mid-write leaves the previous state, never half a file.
 */
export class RegistryFileStore {
  readonly file: string;

  constructor(readonly dataDir: string) {
    this.file = join(dataDir, stateFileName);
  }

  /** The saved state, or an empty registry when none was saved yet; a damaged file stops start-up. */
  async load(): Promise<RegistryState> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyRegistryState();
      throw error;
    }
    const parsed = registryStateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(`schema registry state in ${this.file} is not valid: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  }

  /** Throws a 50001 registry error when the state cannot be written. */
  async save(state: RegistryState): Promise<void> {
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    try {
      await mkdir(this.dataDir, { recursive: true });
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.file);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw RegistryError.of('storeError', 'Error in the backend data store: the state could not be saved', {
        cause: error,
      });
    }
  }
}
