import type { AxiosInstance } from 'axios';
import type { SourceName } from '../domain/movie.js';
import { classifyHttpError, describeRequest, type HttpFailure } from './http-client.js';
import type { Logger } from '../logger.js';
import type { FailureKind, FailureOutcome, UpstreamAttempt } from './outcome.js';

/** One request an adapter wants sent. */
export interface UpstreamRequest {
  method: 'GET' | 'POST';
  path: string;
  params?: Record<string, string | number | boolean | undefined>;
  data?: unknown;
}

/** What came back: a response of any status (body as text), or a transport failure. */
export type RawResult =
  | { kind: 'response'; status: number; headers: unknown; body: string; elapsedMs: number; request: string }
  | { kind: 'failure'; failure: HttpFailure; elapsedMs: number; request: string };

/** Sends one request; never throws (a thrown error becomes a classified failure). */
export async function sendRequest(
  client: AxiosInstance,
  req: UpstreamRequest,
  signal?: AbortSignal,
): Promise<RawResult> {
  const started = performance.now();
  const request = describeRequest(req.method, req.path);
  const params =
    req.params === undefined
      ? undefined
      : Object.fromEntries(Object.entries(req.params).filter(([, v]) => v !== undefined && v !== ''));
  try {
    const res = await client.request<string>({
      method: req.method,
      url: req.path,
      params,
      data: req.data,
      ...(signal === undefined ? {} : { signal }),
    });
    const body = typeof res.data === 'string' ? res.data : JSON.stringify(res.data ?? '');
    return {
      kind: 'response',
      status: res.status,
      headers: res.headers,
      body,
      elapsedMs: Math.round(performance.now() - started),
      request,
    };
  } catch (error: unknown) {
    return {
      kind: 'failure',
      failure: classifyHttpError(error),
      elapsedMs: Math.round(performance.now() - started),
      request,
    };
  }
}

/** Parses a JSON body; undefined when it is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** Collects the UpstreamAttempt of every request of one lookup, in order. */
export class AttemptRecorder {
  readonly attempts: UpstreamAttempt[] = [];

  constructor(private readonly source: SourceName) {}

  record(fields: {
    operation: string;
    identifier: string;
    strategy: string;
    success: boolean;
    elapsedMs: number;
    costUsd: number;
    status?: number;
    errorMessage?: string;
  }): void {
    this.attempts.push({
      source: this.source,
      operation: fields.operation,
      identifier: fields.identifier,
      strategy: fields.strategy,
      success: fields.success,
      responseTimeMs: fields.elapsedMs,
      costUsd: fields.costUsd,
      ...(fields.status === undefined ? {} : { status: fields.status }),
      ...(fields.errorMessage === undefined ? {} : { errorMessage: fields.errorMessage }),
    });
  }
}

/** A failed request, before its attempts are attached. */
export interface Failure {
  kind: FailureKind;
  reason: string;
  status?: number;
  retryAfterMs?: number;
}

export function failureOutcome(f: Failure, attempts: UpstreamAttempt[]): FailureOutcome {
  const extra = {
    ...(f.status === undefined ? {} : { status: f.status }),
    ...(f.retryAfterMs === undefined ? {} : { retryAfterMs: f.retryAfterMs }),
  };
  if (f.kind === 'transient') return { kind: 'transient', reason: f.reason, ...extra, attempts };
  return { kind: f.kind, reason: f.reason, attempts };
}

/** A transport failure as a Failure; `not_found` needs the adapter's judgement, so the caller handles it first. */
export function fromHttpFailure(f: HttpFailure): Failure {
  const kind: FailureKind = f.kind === 'not_found' ? 'invalid_response' : f.kind;
  return {
    kind,
    reason: f.message,
    ...(f.status === undefined ? {} : { status: f.status }),
    ...(f.retryAfterMs === undefined ? {} : { retryAfterMs: f.retryAfterMs }),
  };
}

/**
 * A request that got no usable answer (timeout, network error, unusable status): records
 * its uncharged attempt, logs it on the source's logger and returns the failure.
 */
export function recordTransportFailure(
  rec: AttemptRecorder,
  log: Logger,
  meta: { operation: string; identifier: string; strategy: string },
  raw: Extract<RawResult, { kind: 'failure' }>,
): Failure {
  const failure = fromHttpFailure(raw.failure);
  rec.record({ ...meta, success: false, elapsedMs: raw.elapsedMs, costUsd: 0, errorMessage: failure.reason });
  log.warn(
    { operation: meta.operation, strategy: meta.strategy, outcome: failure.kind, reason: failure.reason },
    'upstream request failed',
  );
  return failure;
}
