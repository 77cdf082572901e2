/**
 * A structural diff of JSON values: which key paths exist, with which JSON types, and where
 * null appears. Values are ignored. Arrays are compared by the union of their elements'
 * shapes (`results[].title`), so a page of 20 results and a page of 3 have the same shape.
 * Used by the twin-fidelity tests to compare the twin's answers with real recordings.
 */

type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

/** Every key path of a value with the JSON types seen there. The root is `$`. */
export type Shape = Map<string, Set<JsonType>>;

export interface ShapeOptions {
  /** Keys left out wherever they appear (e.g. GraphQL's `__typename`). */
  ignoreKeys?: readonly string[];
}

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'boolean' || t === 'number' || t === 'string') return t;
  return 'object';
}

/** The shape of one JSON value. */
export function shapeOf(value: unknown, options: ShapeOptions = {}): Shape {
  const shape: Shape = new Map();
  const ignore = new Set(options.ignoreKeys ?? []);
  const add = (path: string, type: JsonType): void => {
    let types = shape.get(path);
    if (!types) shape.set(path, (types = new Set()));
    types.add(type);
  };
  const walk = (v: unknown, path: string): void => {
    const type = jsonType(v);
    add(path, type);
    if (type === 'array') for (const item of v as unknown[]) walk(item, `${path}[]`);
    else if (type === 'object')
      for (const [k, child] of Object.entries(v as Record<string, unknown>))
        if (!ignore.has(k)) walk(child, `${path}.${k}`);
  };
  walk(value, '$');
  return shape;
}

/** The union of several shapes (the shape of an endpoint over all its recordings). */
function unionShapes(shapes: readonly Shape[]): Shape {
  const out: Shape = new Map();
  for (const shape of shapes)
    for (const [path, types] of shape) {
      const into = out.get(path) ?? new Set<JsonType>();
      for (const t of types) into.add(t);
      out.set(path, into);
    }
  return out;
}

export interface ShapeDifference {
  path: string;
  /** missing: every recording has it, the twin not; extra: no recording has it; type: JSON types or null-ness differ. */
  kind: 'missing' | 'extra' | 'type';
  real: JsonType[];
  twin: JsonType[];
}

function parentOf(path: string): string | undefined {
  if (path === '$') return undefined;
  if (path.endsWith('[]')) return path.slice(0, -2);
  return path.slice(0, path.lastIndexOf('.'));
}

/**
 * Compares the twin's shape with the real recordings of the same endpoint (each a shape):
 *  - extra: a path no recording has;
 *  - missing: a path every recording has wherever its parent is an object (a key that one era
 *    or one film leaves out is optional); array elements (`[]`) are never required, since an
 *    empty array has none;
 *  - type: the twin uses a JSON type (null included) no recording uses at that path.
 */
export function diffShapes(twin: Shape, recordings: readonly Shape[]): ShapeDifference[] {
  const real = unionShapes(recordings);
  const out: ShapeDifference[] = [];
  const list = (s: Set<JsonType> | undefined): JsonType[] => [...(s ?? [])].sort();
  for (const [path, types] of twin) {
    const seen = real.get(path);
    if (!seen) {
      // Report only the top of an extra subtree.
      const parent = parentOf(path);
      if (parent === undefined || real.has(parent))
        out.push({ path, kind: 'extra', real: [], twin: list(types) });
      continue;
    }
    if ([...types].some((t) => !seen.has(t)))
      out.push({ path, kind: 'type', real: list(seen), twin: list(types) });
  }
  for (const [path, types] of real) {
    if (twin.has(path) || path.endsWith('[]')) continue;
    const parent = parentOf(path) ?? '$';
    if (!twin.get(parent)?.has('object')) continue;
    const required = recordings.every((r) => !r.get(parent)?.has('object') || r.has(path));
    if (required) out.push({ path, kind: 'missing', real: list(types), twin: [] });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** One line per difference, for a test's failure message. */
export function formatDifferences(diffs: readonly ShapeDifference[]): string {
  return diffs
    .map(
      (d) =>
        `${d.kind.padEnd(7)} ${d.path}  real: ${d.real.join('|') || '-'}  twin: ${d.twin.join('|') || '-'}`,
    )
    .join('\n');
}
