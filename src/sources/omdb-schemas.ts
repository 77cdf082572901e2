import { z } from 'zod';

/**
 * OMDb (https://www.omdbapi.com/): `GET /?apikey=&i=tt…&plot=short` or
 * `GET /?apikey=&t=&y=&type=movie&plot=short`. Every field is a string and a missing value
 * is "N/A". Errors are `{"Response":"False","Error":"…"}` — "Movie not found!" and
 * "Incorrect IMDb ID." with HTTP 200, "Request limit reached!" and "Invalid API key!" with
 * HTTP 401 — so the body decides, never the status alone.
 */

const text = z.string();

/** `{"Response":"True", …}` — a hit. */
export const omdbMovieSchema = z.object({
  Response: z.literal('True'),
  Title: text,
  Year: text,
  Released: text.optional(),
  Runtime: text.optional(),
  Genre: text.optional(),
  Director: text.optional(),
  Actors: text.optional(),
  Plot: text.optional(),
  Language: text.optional(),
  Country: text.optional(),
  Poster: text.optional(),
  Ratings: z.array(z.object({ Source: text, Value: text })).optional(),
  imdbRating: text.optional(),
  imdbVotes: text.optional(),
  imdbID: text,
  Type: text.optional(),
});
export type OmdbMovie = z.infer<typeof omdbMovieSchema>;

/** `{"Response":"False","Error":"…"}` — a miss or an error, whatever the HTTP status. */
export const omdbErrorSchema = z.object({
  Response: z.literal('False'),
  Error: text,
});
