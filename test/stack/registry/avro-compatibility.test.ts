import { describe, expect, it } from 'vitest';
import {
  checkCompatibility,
  compatibilityLevels,
  parseCompatibilityLevel,
  type CompatibilityLevel,
} from '../../../src/stack/registry/avro-compatibility.js';
import { parseAvroSchema } from '../../../src/stack/registry/avro-schema.js';
import { RegistryError } from '../../../src/stack/registry/errors.js';
import { recordSchema } from './registry-fixture.js';

const title = { name: 'title', type: 'string' };
const v1 = recordSchema([title]);
const withOptionalYear = recordSchema([title, { name: 'year', type: ['null', 'int'], default: null }]);
const withRequiredYear = recordSchema([title, { name: 'year', type: 'int' }]);
const titleAsInt = recordSchema([{ name: 'title', type: 'int' }]);
const withoutTitle = recordSchema([{ name: 'year', type: ['null', 'int'], default: null }]);

const type = (schema: string) => parseAvroSchema(schema).type;

/** Whether `candidate` may follow `history` (oldest first) under `level`. */
function compatible(level: CompatibilityLevel, history: string[], candidate: string): boolean {
  const previous = history.map((schema, index) => ({ version: index + 1, type: type(schema) }));
  return checkCompatibility(type(candidate), previous, level).length === 0;
}

describe('Avro compatibility rules', () => {
  it('when a field with a default is added, then BACKWARD, FORWARD and FULL all accept it', () => {
    expect(compatible('BACKWARD', [v1], withOptionalYear)).toBe(true);
    expect(compatible('FORWARD', [v1], withOptionalYear)).toBe(true);
    expect(compatible('FULL', [v1], withOptionalYear)).toBe(true);
  });

  it('when a field without a default is added, then BACKWARD refuses it (old data has no value) and FORWARD accepts it', () => {
    expect(compatible('BACKWARD', [v1], withRequiredYear)).toBe(false);
    expect(compatible('FORWARD', [v1], withRequiredYear)).toBe(true);
    expect(compatible('FULL', [v1], withRequiredYear)).toBe(false);
  });

  it('when a field without a default is removed, then BACKWARD accepts it and FORWARD refuses it (old readers need the value)', () => {
    expect(compatible('BACKWARD', [v1], withoutTitle)).toBe(true);
    expect(compatible('FORWARD', [v1], withoutTitle)).toBe(false);
    expect(compatible('FULL', [v1], withoutTitle)).toBe(false);
  });

  it('when a field changes from string to int, then every level but NONE refuses it', () => {
    for (const level of compatibilityLevels.filter((candidate) => candidate !== 'NONE')) {
      expect(compatible(level, [v1], titleAsInt), level).toBe(false);
    }
    expect(compatible('NONE', [v1], titleAsInt)).toBe(true);
  });

  it('when an int becomes a long, then BACKWARD accepts the promotion and FORWARD refuses it', () => {
    const count = recordSchema([{ name: 'count', type: 'int' }]);
    const countAsLong = recordSchema([{ name: 'count', type: 'long' }]);
    expect(compatible('BACKWARD', [count], countAsLong)).toBe(true);
    expect(compatible('FORWARD', [count], countAsLong)).toBe(false);
  });

  it('when only the latest version is compatible, then BACKWARD accepts and BACKWARD_TRANSITIVE refuses', () => {
    // v2 added year with a default; v3 drops the default: v3 reads v2 data (year present) but not v1 data.
    const history = [v1, withOptionalYear];
    const yearWithoutDefault = recordSchema([title, { name: 'year', type: ['null', 'int'] }]);
    expect(compatible('BACKWARD', history, yearWithoutDefault)).toBe(true);
    expect(compatible('BACKWARD_TRANSITIVE', history, yearWithoutDefault)).toBe(false);
    expect(compatible('FULL', history, yearWithoutDefault)).toBe(true);
    expect(compatible('FULL_TRANSITIVE', history, yearWithoutDefault)).toBe(false);
  });

  it('when an old version could not read the new data, then FORWARD accepts and FORWARD_TRANSITIVE refuses', () => {
    // v1 requires year; v2 gave it a default; v3 removes it: v2 readers cope, v1 readers do not.
    const requiredYear = withRequiredYear;
    const defaultedYear = recordSchema([title, { name: 'year', type: 'int', default: 0 }]);
    expect(compatible('FORWARD', [requiredYear, defaultedYear], v1)).toBe(true);
    expect(compatible('FORWARD_TRANSITIVE', [requiredYear, defaultedYear], v1)).toBe(false);
  });

  it('when the record is renamed, then BACKWARD refuses it', () => {
    expect(compatible('BACKWARD', [v1], recordSchema([title], 'Movie'))).toBe(false);
  });

  it('when a subject has no versions yet, then any schema is compatible', () => {
    expect(compatible('FULL_TRANSITIVE', [], titleAsInt)).toBe(true);
  });

  it('when a level is given in lower case, then it is accepted, and an unknown level is 42203', () => {
    expect(parseCompatibilityLevel('full_transitive')).toBe('FULL_TRANSITIVE');
    expect(() => parseCompatibilityLevel('SIDEWAYS')).toThrow(RegistryError);
    try {
      parseCompatibilityLevel(undefined);
      expect.unreachable();
    } catch (error) {
      expect((error as RegistryError).errorCode).toBe(42203);
    }
  });
});

describe('Avro schema canonical form', () => {
  it('when two schemas differ only in whitespace or in spelling a primitive, then their canonical forms are equal', () => {
    const spelled = JSON.stringify({
      type: 'record',
      name: 'Film',
      namespace: 'festival.test',
      fields: [{ name: 'title', type: { type: 'string' } }],
    });
    expect(parseAvroSchema(JSON.stringify(JSON.parse(v1), null, 2)).canonical).toBe(
      parseAvroSchema(v1).canonical,
    );
    expect(parseAvroSchema(spelled).canonical).toBe(parseAvroSchema(v1).canonical);
  });

  it('when two schemas differ in a default or a logical type, then their canonical forms differ', () => {
    const defaulted = recordSchema([{ name: 'title', type: 'string', default: '' }]);
    const plainLong = recordSchema([{ name: 'at', type: 'long' }]);
    const timestamp = recordSchema([{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }]);
    expect(parseAvroSchema(defaulted).canonical).not.toBe(parseAvroSchema(v1).canonical);
    expect(parseAvroSchema(timestamp).canonical).not.toBe(parseAvroSchema(plainLong).canonical);
    // Readers resolve logical types through their underlying type.
    expect(compatible('FULL', [plainLong], timestamp)).toBe(true);
  });

  it('when a schema is not valid Avro, then parsing fails with 42201', () => {
    for (const bad of [
      '{not json',
      JSON.stringify({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'strnig' }] }),
    ]) {
      expect(() => parseAvroSchema(bad)).toThrow(expect.objectContaining({ errorCode: 42201 }));
    }
  });
});
