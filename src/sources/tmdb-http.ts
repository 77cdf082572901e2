import type { AxiosInstance } from 'axios';
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import type { LookupContext } from './source.js';
import { tmdbFailure } from './tmdb-errors.js';
import { tmdbErrorSchema } from './tmdb-schemas.js';
import type { AttemptRecorder } from './upstream-call.js';
import {
  recordTransportFailure,
  parseJson,
  sendRequest,
  type Failure,
  type UpstreamRequest,
} from './upstream-call.js';

/** A parsed body, a TMDb "not found" (status_code 34), or a failure. */
export type Fetched<T> =
  { ok: true; data: T } | { ok: false; failure: Failure } | { ok: false; notFound: true };

/** TMDb's HTTP side: auth by Bearer header (set on the client) or api_key query, schema check, error bodies, attempts. */
export class TmdbHttp {
  constructor(
    private readonly client: AxiosInstance,
    private readonly apiKey: string | undefined,
    private readonly costUsd: number,
    private readonly log: Logger,
  ) {}

  /**
   * One GET; records its attempt; maps TMDb's error bodies. A request this lookup already had
   * answered (ctx.answered: an earlier try of the same lookup) is not sent again.
   */
  async get<S extends z.ZodType>(
    schema: S,
    req: UpstreamRequest,
    meta: { operation: string; identifier: string; strategy: string },
    rec: AttemptRecorder,
    ctx?: LookupContext,
  ): Promise<Fetched<z.infer<S>>> {
    const asked = `${req.method} ${req.path} ${JSON.stringify(req.params ?? {})}`;
    if (ctx?.answered?.has(asked) === true) return { ok: true, data: ctx.answered.get(asked) as z.infer<S> };
    const withKey: UpstreamRequest = this.apiKey
      ? { ...req, params: { ...req.params, api_key: this.apiKey } }
      : req;
    const raw = await sendRequest(this.client, withKey, ctx?.signal);
    if (raw.kind === 'failure') {
      const failure = recordTransportFailure(rec, this.log, meta, raw);
      return { ok: false, failure };
    }
    const body = parseJson(raw.body);
    const charged = raw.status >= 200 && raw.status < 300 ? this.costUsd : 0;
    if (raw.status >= 200 && raw.status < 300) {
      const parsed = schema.safeParse(body);
      if (parsed.success) {
        rec.record({
          ...meta,
          success: true,
          elapsedMs: raw.elapsedMs,
          costUsd: charged,
          status: raw.status,
        });
        this.log.debug(
          {
            operation: meta.operation,
            strategy: meta.strategy,
            status: raw.status,
            elapsedMs: raw.elapsedMs,
          },
          'tmdb request',
        );
        ctx?.answered?.set(asked, parsed.data);
        return { ok: true, data: parsed.data };
      }
      const reason = `${raw.request} answered ${raw.status} with a body that does not match the TMDb schema${body === undefined ? ' (not JSON)' : ''}`;
      rec.record({
        ...meta,
        success: false,
        elapsedMs: raw.elapsedMs,
        costUsd: charged,
        status: raw.status,
        errorMessage: reason,
      });
      this.log.warn(
        { operation: meta.operation, status: raw.status, outcome: 'invalid_response' },
        'tmdb response unreadable',
      );
      return { ok: false, failure: { kind: 'invalid_response', reason, status: raw.status } };
    }
    const mapped = tmdbFailure(raw.status, raw.headers, body, raw.request);
    if (mapped === 'not_found') {
      const said = tmdbErrorSchema.safeParse(body);
      rec.record({
        ...meta,
        success: true,
        elapsedMs: raw.elapsedMs,
        costUsd: 0,
        status: raw.status,
        errorMessage: said.success
          ? `${raw.request} answered ${raw.status}: TMDb status ${said.data.status_code} (${said.data.status_message})`
          : `${raw.request} answered ${raw.status} (not found)`,
      });
      return { ok: false, notFound: true };
    }
    rec.record({
      ...meta,
      success: false,
      elapsedMs: raw.elapsedMs,
      costUsd: 0,
      status: raw.status,
      errorMessage: mapped.reason,
    });
    this.log.warn(
      {
        operation: meta.operation,
        strategy: meta.strategy,
        status: raw.status,
        outcome: mapped.kind,
        reason: mapped.reason,
      },
      'tmdb request failed',
    );
    return { ok: false, failure: mapped };
  }
}
