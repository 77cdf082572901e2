import { testServices } from '../helpers/services.js';

/**
 * The run's schema registry (AxonOps Schema Registry on the local stack, Confluent's
 * under testcontainers). It is shared: tests use subjects of their own (uniqueName).
 */
export function startTestRegistry(): Promise<{ url: string }> {
  return Promise.resolve({ url: testServices().schemaRegistryUrl });
}

/** A raw HTTP answer: status, content type and parsed JSON body. */
export interface RawAnswer {
  status: number;
  contentType: string | null;
  // Answers are arbitrary JSON that each test inspects with matchers.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Calls the registry without a client library, the way curl would. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RawAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: text === '' ? undefined : JSON.parse(text),
  };
}

/** A record schema named `name` with the given fields, as the JSON string clients send. */
export function recordSchema(fields: unknown[], name = 'Film'): string {
  return JSON.stringify({ type: 'record', name, namespace: 'festival.test', fields });
}

export const registerBody = (schema: string): { schema: string } => ({ schema });
