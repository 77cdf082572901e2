import { z } from 'zod';
import { parseCompatibilityLevel } from './avro-compatibility.js';
import { supportedSchemaTypes } from './avro-schema.js';
import { RegistryError, invalidSchema, schemaNotFound } from './errors.js';
import type { SchemaRegistryState, SchemaSubmission } from './registry.js';

/** What a handler sees of a request. */
export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** A JSON answer, or a raw one (the `/schema` endpoints answer the schema text itself). */
export type RouteResponse = { status?: number; json: unknown } | { status?: number; raw: string };

/** One endpoint of the Confluent Schema Registry REST API. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path segments; `:name` captures one (URL-decoded) segment. */
  path: string;
  handle: (registry: SchemaRegistryState, request: RouteRequest) => RouteResponse | Promise<RouteResponse>;
}

/** POST bodies carrying a schema, as the Confluent clients send them. */
const schemaSubmissionSchema = z.object({
  schema: z.string().min(1),
  schemaType: z.string().optional(),
  references: z.array(z.unknown()).optional(),
});

function submission(body: unknown): SchemaSubmission {
  const parsed = schemaSubmissionSchema.safeParse(body);
  if (!parsed.success)
    throw invalidSchema('the request body must be {"schema": "<schema as a string>", "schemaType"?: "AVRO"}');
  return parsed.data;
}

function compatibilityOf(body: unknown): ReturnType<typeof parseCompatibilityLevel> {
  const value =
    body !== null && typeof body === 'object'
      ? (body as { compatibility?: unknown }).compatibility
      : undefined;
  return parseCompatibilityLevel(value);
}

function flag(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === 'true';
}

function schemaId(text: string | undefined): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1) throw schemaNotFound(`Schema ${text ?? ''} not found`);
  return id;
}

function param(request: RouteRequest, name: string): string {
  const value = request.params[name];
  if (value === undefined) throw new RegistryError(500, 50000, `route parameter ${name} missing`);
  return value;
}

function compatibilityAnswer(problems: string[], verbose: boolean): RouteResponse {
  const json = verbose
    ? { is_compatible: problems.length === 0, messages: problems }
    : { is_compatible: problems.length === 0 };
  return { json };
}

/** Every endpoint the stand-in serves. */
export const routes: Route[] = [
  { method: 'GET', path: '/', handle: () => ({ json: {} }) },
  { method: 'GET', path: '/mode', handle: () => ({ json: { mode: 'READWRITE' } }) },
  { method: 'GET', path: '/schemas/types', handle: () => ({ json: supportedSchemaTypes }) },
  {
    method: 'GET',
    path: '/schemas/ids/:id',
    handle: (registry, request) => ({
      json: { schema: registry.getSchemaText(schemaId(request.params.id)) },
    }),
  },
  {
    method: 'GET',
    path: '/schemas/ids/:id/schema',
    handle: (registry, request) => ({ raw: registry.getSchemaText(schemaId(request.params.id)) }),
  },
  {
    method: 'GET',
    path: '/schemas/ids/:id/versions',
    handle: (registry, request) => ({
      json: registry.versionsOfId(schemaId(request.params.id), flag(request.query, 'deleted')),
    }),
  },
  {
    method: 'GET',
    path: '/schemas/ids/:id/subjects',
    handle: (registry, request) => ({
      json: [
        ...new Set(
          registry
            .versionsOfId(schemaId(request.params.id), flag(request.query, 'deleted'))
            .map((entry) => entry.subject),
        ),
      ],
    }),
  },
  {
    method: 'GET',
    path: '/subjects',
    handle: (registry, request) => ({ json: registry.listSubjects(flag(request.query, 'deleted')) }),
  },
  {
    method: 'POST',
    path: '/subjects/:subject',
    handle: (registry, request) => ({
      json: registry.lookup(
        param(request, 'subject'),
        submission(request.body),
        flag(request.query, 'deleted'),
      ),
    }),
  },
  {
    method: 'DELETE',
    path: '/subjects/:subject',
    handle: async (registry, request) => ({
      json: await registry.deleteSubject(param(request, 'subject'), flag(request.query, 'permanent')),
    }),
  },
  {
    method: 'GET',
    path: '/subjects/:subject/versions',
    handle: (registry, request) => ({
      json: registry.listVersions(param(request, 'subject'), flag(request.query, 'deleted')),
    }),
  },
  {
    method: 'POST',
    path: '/subjects/:subject/versions',
    handle: async (registry, request) => ({
      json: await registry.register(param(request, 'subject'), submission(request.body)),
    }),
  },
  {
    method: 'GET',
    path: '/subjects/:subject/versions/:version',
    handle: (registry, request) => ({
      json: registry.getVersion(
        param(request, 'subject'),
        param(request, 'version'),
        flag(request.query, 'deleted'),
      ),
    }),
  },
  {
    method: 'DELETE',
    path: '/subjects/:subject/versions/:version',
    handle: async (registry, request) => ({
      json: await registry.deleteVersion(
        param(request, 'subject'),
        param(request, 'version'),
        flag(request.query, 'permanent'),
      ),
    }),
  },
  {
    method: 'GET',
    path: '/subjects/:subject/versions/:version/schema',
    handle: (registry, request) => ({
      raw: registry.getVersion(
        param(request, 'subject'),
        param(request, 'version'),
        flag(request.query, 'deleted'),
      ).schema,
    }),
  },
  {
    method: 'GET',
    path: '/subjects/:subject/versions/:version/referencedby',
    handle: (registry, request) => {
      // Schema references are not supported, so nothing can refer to a version.
      registry.getVersion(param(request, 'subject'), param(request, 'version'), false);
      return { json: [] };
    },
  },
  {
    method: 'GET',
    path: '/config',
    handle: (registry) => ({ json: { compatibilityLevel: registry.globalLevel() } }),
  },
  {
    method: 'PUT',
    path: '/config',
    handle: async (registry, request) => ({
      json: { compatibility: await registry.setGlobalLevel(compatibilityOf(request.body)) },
    }),
  },
  {
    method: 'GET',
    path: '/config/:subject',
    handle: (registry, request) => ({
      json: {
        compatibilityLevel: registry.subjectLevel(
          param(request, 'subject'),
          flag(request.query, 'defaultToGlobal'),
        ),
      },
    }),
  },
  {
    method: 'PUT',
    path: '/config/:subject',
    handle: async (registry, request) => ({
      json: {
        compatibility: await registry.setSubjectLevel(
          param(request, 'subject'),
          compatibilityOf(request.body),
        ),
      },
    }),
  },
  {
    method: 'DELETE',
    path: '/config/:subject',
    handle: async (registry, request) => ({
      json: { compatibilityLevel: await registry.deleteSubjectLevel(param(request, 'subject')) },
    }),
  },
  {
    method: 'POST',
    path: '/compatibility/subjects/:subject/versions/:version',
    handle: (registry, request) =>
      compatibilityAnswer(
        registry.testCompatibility(
          param(request, 'subject'),
          param(request, 'version'),
          submission(request.body),
        ),
        flag(request.query, 'verbose'),
      ),
  },
  {
    method: 'POST',
    path: '/compatibility/subjects/:subject/versions',
    handle: (registry, request) =>
      compatibilityAnswer(
        registry.testCompatibility(param(request, 'subject'), undefined, submission(request.body)),
        flag(request.query, 'verbose'),
      ),
  },
];

/** The route for a method and decoded path segments, with its captured parameters. */
export function matchRoute(
  method: string,
  segments: readonly string[],
): { route: Route; params: Record<string, string> } | { methodNotAllowed: boolean } {
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.path.split('/').filter((part) => part !== '');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (!matches) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return { methodNotAllowed: pathMatched };
}
