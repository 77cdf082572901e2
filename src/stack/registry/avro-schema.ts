import avro from 'avsc';
import { invalidSchema } from './errors.js';

/** A registered or submitted Avro schema: the parsed type, its text and its comparison key. */
export interface ParsedAvroSchema {
  type: avro.Type;
  /** The submitted JSON without insignificant whitespace: what the registry stores and serves. */
  text: string;
  /**
   * The schema as avsc re-exports it with attributes (defaults, docs, aliases, order, logical
   * types): two submissions with the same key are the same schema, however they were spelled.
   */
  canonical: string;
}

/** Schema types a Confluent client may name; the stand-in implements AVRO only. */
export const supportedSchemaTypes = ['AVRO'] as const;

/**
 * Logical types are kept as they are written (avsc would drop an unknown one from the exported
 * schema, so `timestamp-millis` and plain `long` would compare equal). Resolution uses the
 * underlying type, as the Avro specification says readers do.
 */
class PassThroughLogicalType extends avro.types.LogicalType {
  private readonly params: { precision?: unknown; scale?: unknown };

  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    const attrs = schema as { precision?: unknown; scale?: unknown };
    this.params = { precision: attrs.precision, scale: attrs.scale };
  }

  protected override _fromValue(value: unknown): unknown {
    return value;
  }

  protected override _toValue(value: unknown): unknown {
    return value;
  }

  protected override _resolve(writer: avro.Type): unknown {
    this.underlyingType.createResolver(writer);
    return (value: unknown) => value;
  }

  protected override _export(schema: avro.Schema): void {
    const target = schema as Record<string, unknown>;
    if (this.params.precision !== undefined) target.precision = this.params.precision;
    if (this.params.scale !== undefined) target.scale = this.params.scale;
  }
}

function collectLogicalTypeNames(node: unknown, names: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) collectLogicalTypeNames(item, names);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'logicalType' && typeof value === 'string') names.add(value);
      else collectLogicalTypeNames(value, names);
    }
  }
  return names;
}

/** Parses a schema string as Confluent clients send it; throws 42201 when it is not valid Avro. */
export function parseAvroSchema(schemaText: string): ParsedAvroSchema {
  let json: unknown;
  try {
    json = JSON.parse(schemaText);
  } catch (error) {
    throw invalidSchema(`the schema is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const logicalTypes: Record<string, typeof PassThroughLogicalType> = {};
  for (const name of collectLogicalTypeNames(json, new Set())) logicalTypes[name] = PassThroughLogicalType;
  let type: avro.Type;
  try {
    // A fresh options object per parse: avsc keeps named types in it.
    type = avro.Type.forSchema(json as avro.Schema, { logicalTypes, registry: {} });
  } catch (error) {
    throw invalidSchema(`not a valid Avro schema (${(error as Error).message})`, { cause: error });
  }
  return { type, text: JSON.stringify(json), canonical: JSON.stringify(type.schema({ exportAttrs: true })) };
}

/** Throws 42201 for a schema type other than AVRO (JSON Schema and Protobuf are not implemented here). */
export function assertSupportedSchemaType(schemaType: string | undefined): void {
  if (schemaType === undefined || schemaType.toUpperCase() === 'AVRO') return;
  throw invalidSchema(
    `schemaType ${schemaType} is not supported by the development schema registry stand-in; only AVRO is (production runs Confluent Schema Registry)`,
  );
}
