import { z } from 'zod';

/**
 * Zyte API (https://docs.zyte.com/zyte-api/usage/reference.html):
 * `POST {base}/extract`, Basic auth (API key as user name, empty password), body
 * `{url, httpResponseBody: true}`. A 200 carries the target's own `statusCode` (a target
 * 404 is still a charged, successful Zyte response) and the page base64-encoded.
 */
export const zyteExtractSchema = z.object({
  url: z.string(),
  /** Optional in real answers: the vendor's own client reads a missing one as 200 (scrapy-zyte-api). */
  statusCode: z.number().int().optional(),
  httpResponseBody: z.string().optional(),
  /** Present instead of httpResponseBody when the page was rendered in a browser. */
  browserHtml: z.string().optional(),
  httpResponseHeaders: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  /** Whatever the request's `echoData` held, sent back unchanged. */
  echoData: z.unknown().optional(),
});
export type ZyteExtract = z.infer<typeof zyteExtractSchema>;

/** A Zyte 200 answer, decoded: the target's status (missing = 200), URL, headers and page. */
export interface ZytePage {
  url: string;
  statusCode: number;
  bodyField: 'httpResponseBody' | 'browserHtml' | undefined;
  /** The page as text (base64 httpResponseBody decoded as UTF-8, or browserHtml as is). */
  html: string | undefined;
  /** The raw bytes of httpResponseBody (for hashing), when that field was sent. */
  bytes: Buffer | undefined;
  headers: Record<string, string>;
  echoData: unknown;
}

/** Decodes a parsed Zyte extract answer. */
export function decodeZyteExtract(extract: ZyteExtract): ZytePage {
  const bytes =
    extract.httpResponseBody === undefined ? undefined : Buffer.from(extract.httpResponseBody, 'base64');
  return {
    url: extract.url,
    statusCode: extract.statusCode ?? 200,
    bodyField:
      bytes !== undefined
        ? 'httpResponseBody'
        : extract.browserHtml !== undefined
          ? 'browserHtml'
          : undefined,
    html: bytes !== undefined ? bytes.toString('utf8') : extract.browserHtml,
    bytes,
    headers: Object.fromEntries((extract.httpResponseHeaders ?? []).map((h) => [h.name, h.value])),
    echoData: extract.echoData,
  };
}

/**
 * Errors are `application/problem+json`: 429/503 rate limiting and 520 temporary ban
 * (retry, not charged), 521 internal error, 451 domain forbidden, 401 bad key, 403 account
 * suspended (spending limit reached), 422 invalid request (e.g. both body and browserHtml).
 */
export const zyteProblemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().int().optional(),
  detail: z.string().optional(),
});
