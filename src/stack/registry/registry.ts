import { checkCompatibility, type CompatibilityLevel, type VersionedType } from './avro-compatibility.js';
import { assertSupportedSchemaType, parseAvroSchema, type ParsedAvroSchema } from './avro-schema.js';
import { RegistryError, schemaNotFound, subjectNotFound, versionNotFound } from './errors.js';
import type { RegistryFileStore, RegistryState, SubjectState } from './store.js';
import { nextVersion, parseVersionId, requireVersion, requireVersions, visibleVersions } from './versions.js';

/** A schema as a client submits it to register, look up or test. */
export interface SchemaSubmission {
  schema: string;
  schemaType?: string;
  references?: unknown[];
}

/** One version of a subject as GET /subjects/{s}/versions/{v} answers it (AVRO: no schemaType). */
export interface SubjectVersionView {
  subject: string;
  id: number;
  version: number;
  schema: string;
}

/**
 * The registry's rules over its persisted state. Reads see the last saved state; changes run
 * one at a time on a copy that replaces the state only once it is on disk, so a failed save
 * (50001) leaves memory and disk in agreement.
 */
export class SchemaRegistryState {
  private state: RegistryState;
  private readonly parsedById = new Map<number, ParsedAvroSchema>();
  private readonly idByCanonical = new Map<string, number>();
  private tail: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: RegistryFileStore,
    state: RegistryState,
  ) {
    this.state = state;
    this.index(state);
  }

  static async open(store: RegistryFileStore): Promise<SchemaRegistryState> {
    return new SchemaRegistryState(store, await store.load());
  }

  /** Resolves once every accepted change is saved. */
  async idle(): Promise<void> {
    await this.tail;
  }

  listSubjects(includeDeleted: boolean): string[] {
    return Object.entries(this.state.subjects)
      .filter(([, subject]) => visibleVersions(subject, includeDeleted).length > 0)
      .map(([name]) => name)
      .sort();
  }

  listVersions(subject: string, includeDeleted: boolean): number[] {
    return requireVersions(this.state, subject, includeDeleted).map((entry) => entry.version);
  }

  getVersion(subject: string, versionText: string, includeDeleted: boolean): SubjectVersionView {
    const entry = requireVersion(this.state, subject, parseVersionId(versionText), includeDeleted);
    return { subject, id: entry.id, version: entry.version, schema: this.parsed(entry.id).text };
  }

  getSchemaText(id: number): string {
    return this.parsed(id).text;
  }

  /** The subject-version pairs that use a global id. */
  versionsOfId(id: number, includeDeleted: boolean): { subject: string; version: number }[] {
    this.parsed(id);
    return Object.entries(this.state.subjects).flatMap(([subject, state]) =>
      visibleVersions(state, includeDeleted)
        .filter((entry) => entry.id === id)
        .map((entry) => ({ subject, version: entry.version })),
    );
  }

  /** Finds the version of `subject` that holds this schema (40401 / 40403 otherwise). */
  lookup(subject: string, submission: SchemaSubmission, includeDeleted: boolean): SubjectVersionView {
    const parsed = this.parseSubmission(submission);
    const versions = requireVersions(this.state, subject, includeDeleted);
    const found = versions.findLast((entry) => this.parsed(entry.id).canonical === parsed.canonical);
    if (found === undefined) throw schemaNotFound();
    return { subject, id: found.id, version: found.version, schema: this.parsed(found.id).text };
  }

  globalLevel(): CompatibilityLevel {
    return this.state.compatibility;
  }

  /** The subject's own level; without one, the global level or 40408 as the real registry answers. */
  subjectLevel(subject: string, defaultToGlobal: boolean): CompatibilityLevel {
    const level = this.state.subjects[subject]?.compatibility;
    if (level !== undefined) return level;
    if (defaultToGlobal) return this.state.compatibility;
    throw RegistryError.of(
      'subjectConfigNotFound',
      `Subject '${subject}' does not have subject-level compatibility configured`,
    );
  }

  /**
   * Problems that registering `submission` would meet: against one given version, or (for
   * `latest` and no version at all) the same check a registration runs. Empty when compatible.
   */
  testCompatibility(
    subject: string,
    versionText: string | undefined,
    submission: SchemaSubmission,
  ): string[] {
    const parsed = this.parseSubmission(submission);
    const subjectState = this.state.subjects[subject];
    const level = subjectState?.compatibility ?? this.state.compatibility;
    if (versionText === undefined) return checkCompatibility(parsed.type, this.history(subjectState), level);
    const versionId = parseVersionId(versionText);
    if (visibleVersions(subjectState, false).length === 0) throw subjectNotFound(subject);
    if (versionId === 'latest') return checkCompatibility(parsed.type, this.history(subjectState), level);
    const entry = requireVersion(this.state, subject, versionId, false);
    return checkCompatibility(
      parsed.type,
      [{ version: entry.version, type: this.parsed(entry.id).type }],
      level,
    );
  }

  /**
   * Registers a schema under a subject: the same schema again returns its id without a new
   * version, a schema known under another subject keeps its global id, an incompatible one
   * is refused with 409.
   */
  async register(subject: string, submission: SchemaSubmission): Promise<{ id: number }> {
    const parsed = this.parseSubmission(submission);
    return this.mutate((draft) => {
      const subjectState = draft.subjects[subject];
      const existing = visibleVersions(subjectState, false).find(
        (entry) => this.parsed(entry.id).canonical === parsed.canonical,
      );
      if (existing !== undefined) return { value: { id: existing.id }, changed: false };
      const level = subjectState?.compatibility ?? draft.compatibility;
      const problems = checkCompatibility(parsed.type, this.history(subjectState), level);
      if (problems.length > 0) {
        throw RegistryError.of(
          'incompatibleSchema',
          `Schema being registered is incompatible with an earlier schema for subject "${subject}" (${level}), details: ${problems.join('; ')}`,
        );
      }
      let id = this.idByCanonical.get(parsed.canonical);
      if (id === undefined) {
        id = draft.nextId;
        draft.nextId += 1;
        draft.schemas.push({ id, schema: parsed.text });
      }
      const target = (draft.subjects[subject] ??= { versions: [] });
      target.versions.push({ version: nextVersion(target), id, deleted: false });
      return { value: { id }, changed: true };
    });
  }

  async setGlobalLevel(level: CompatibilityLevel): Promise<CompatibilityLevel> {
    return this.mutate((draft) => {
      draft.compatibility = level;
      return { value: level, changed: true };
    });
  }

  async setSubjectLevel(subject: string, level: CompatibilityLevel): Promise<CompatibilityLevel> {
    return this.mutate((draft) => {
      (draft.subjects[subject] ??= { versions: [] }).compatibility = level;
      return { value: level, changed: true };
    });
  }

  /** Drops a subject's own level; answers the level that applied before. */
  async deleteSubjectLevel(subject: string): Promise<CompatibilityLevel> {
    return this.mutate((draft) => {
      const subjectState = draft.subjects[subject];
      if (subjectState === undefined) throw subjectNotFound(subject);
      const previous = subjectState.compatibility ?? draft.compatibility;
      delete subjectState.compatibility;
      if (subjectState.versions.length === 0) delete draft.subjects[subject];
      return { value: previous, changed: true };
    });
  }

  /**
   * Soft delete marks every live version deleted (ids stay resolvable, as they must for old
   * messages); `permanent` then removes the subject, as in the real registry, in two steps.
   */
  async deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.mutate((draft) => {
      const subjectState = draft.subjects[subject];
      if (subjectState === undefined || subjectState.versions.length === 0) throw subjectNotFound(subject);
      const live = subjectState.versions.filter((entry) => !entry.deleted);
      if (permanent) {
        if (live.length > 0) {
          throw RegistryError.of(
            'subjectNotSoftDeleted',
            `Subject '${subject}' was not deleted first before being permanently deleted`,
          );
        }
        delete draft.subjects[subject];
        return { value: subjectState.versions.map((entry) => entry.version), changed: true };
      }
      if (live.length === 0) {
        throw RegistryError.of(
          'subjectSoftDeleted',
          `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`,
        );
      }
      for (const entry of live) entry.deleted = true;
      return { value: live.map((entry) => entry.version), changed: true };
    });
  }

  /** Soft or (after a soft delete) permanent delete of one version; answers its number. */
  async deleteVersion(subject: string, versionText: string, permanent: boolean): Promise<number> {
    const versionId = parseVersionId(versionText);
    return this.mutate((draft) => {
      const subjectState = draft.subjects[subject];
      if (subjectState === undefined || subjectState.versions.length === 0) throw subjectNotFound(subject);
      const entry =
        versionId === 'latest'
          ? (permanent ? subjectState.versions : visibleVersions(subjectState, false)).at(-1)
          : subjectState.versions.find((candidate) => candidate.version === versionId);
      if (entry === undefined) throw versionNotFound(subject, versionText);
      if (permanent) {
        if (!entry.deleted) {
          throw RegistryError.of(
            'versionNotSoftDeleted',
            `Subject '${subject}' Version ${entry.version} was not deleted first before being permanently deleted`,
          );
        }
        subjectState.versions = subjectState.versions.filter((candidate) => candidate !== entry);
        if (subjectState.versions.length === 0 && subjectState.compatibility === undefined) {
          delete draft.subjects[subject];
        }
        return { value: entry.version, changed: true };
      }
      if (entry.deleted) {
        throw RegistryError.of(
          'versionSoftDeleted',
          `Subject '${subject}' Version ${entry.version} was soft deleted. Set permanent=true to delete permanently`,
        );
      }
      entry.deleted = true;
      return { value: entry.version, changed: true };
    });
  }

  private parseSubmission(submission: SchemaSubmission): ParsedAvroSchema {
    assertSupportedSchemaType(submission.schemaType);
    if (submission.references !== undefined && submission.references.length > 0) {
      throw RegistryError.of(
        'invalidSchema',
        'Invalid schema: schema references are not supported by the development schema registry stand-in',
      );
    }
    return parseAvroSchema(submission.schema);
  }

  /** The live versions of a subject, oldest first, as the compatibility check needs them. */
  private history(subject: SubjectState | undefined): VersionedType[] {
    return visibleVersions(subject, false).map((entry) => ({
      version: entry.version,
      type: this.parsed(entry.id).type,
    }));
  }

  private parsed(id: number): ParsedAvroSchema {
    const parsed = this.parsedById.get(id);
    if (parsed === undefined) throw schemaNotFound(`Schema ${id} not found`);
    return parsed;
  }

  private index(state: RegistryState): void {
    for (const record of state.schemas) {
      if (this.parsedById.has(record.id)) continue;
      const parsed = parseAvroSchema(record.schema);
      this.parsedById.set(record.id, parsed);
      if (!this.idByCanonical.has(parsed.canonical)) this.idByCanonical.set(parsed.canonical, record.id);
    }
  }

  private mutate<T>(change: (draft: RegistryState) => { value: T; changed: boolean }): Promise<T> {
    const run = this.tail.then(async () => {
      const draft = structuredClone(this.state);
      const { value, changed } = change(draft);
      if (changed) {
        await this.store.save(draft);
        this.state = draft;
        this.index(draft);
      }
      return value;
    });
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
