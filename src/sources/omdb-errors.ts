/**
 * What each OMDb error message means. OMDb answers errors as `{"Response":"False","Error":"…"}`
 * with HTTP 200 or 401, so the message decides, never the status. The same table is in the
 * README (section "OMDb error messages"); both come from recorded answers
 * (../shared/fixtures/real/omdb/errors, SOURCES.md) and OMDb's issue tracker.
 *
 * - not_found: a clean miss, charged, final — never retried. "Error getting data." is what OMDb
 *   answers for a well-formed IMDb id it does not have (HTTP 200, recorded 2016–2026).
 * - auth: the key is missing or refused — the tier stops.
 * - quota: the key's daily limit is spent (sent with HTTP 401, but not an auth error).
 * - unclear: seen with a bad key, says nothing about the film: not retried (a retry asks the
 *   same question), not a miss; the lookup fails as invalid_response and the chain moves on.
 */
export type OmdbErrorMeaning = 'not_found' | 'auth' | 'quota' | 'unclear';

export const omdbErrorMessages: readonly { message: string; meaning: OmdbErrorMeaning; seen: string }[] = [
  { message: 'Movie not found!', meaning: 'not_found', seen: '200, t= with an unknown title' },
  { message: 'Error getting data.', meaning: 'not_found', seen: '200, i= with a well-formed unknown id' },
  { message: 'Incorrect IMDb ID.', meaning: 'not_found', seen: '200, i= with a malformed id' },
  { message: 'Series not found!', meaning: 'not_found', seen: '200, type=series miss' },
  { message: 'Episode not found!', meaning: 'not_found', seen: '200, type=episode miss' },
  { message: 'Result not found!', meaning: 'not_found', seen: '200, a miss' },
  { message: 'Invalid API key!', meaning: 'auth', seen: '401, refused key' },
  { message: 'No API key provided.', meaning: 'auth', seen: '401, no apikey' },
  { message: 'Request limit reached!', meaning: 'quota', seen: '401, daily limit spent' },
  { message: 'Something went wrong.', meaning: 'unclear', seen: '200, reported with a bad key' },
];

const byMessage = new Map(omdbErrorMessages.map((e) => [normalise(e.message), e.meaning]));

function normalise(message: string): string {
  return message
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, '');
}

/** The meaning of an OMDb error message; undefined for a message not in the table. */
export function omdbErrorMeaning(message: string): OmdbErrorMeaning | undefined {
  return byMessage.get(normalise(message));
}
