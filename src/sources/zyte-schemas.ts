import { z } from 'zod';

/**
 * Zyte API (https://docs.zyte.com/zyte-api/usage/reference.html):
 * `POST {base}/extract`, Basic auth (API key as user name, empty password), body
 * `{url, httpResponseBody: true}`. A 200 carries the target's own `statusCode` (a target
 * 404 is still a charged, successful Zyte response) and the page base64-encoded.
 */
export const zyteExtractSchema = z.object({
  url: z.string(),
  statusCode: z.number().int(),
  httpResponseBody: z.string().optional(),
});
export type ZyteExtract = z.infer<typeof zyteExtractSchema>;

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
