import { z } from 'zod';

/**
 * TMDb API v3 response shapes (https://developer.themoviedb.org/reference). Only the fields
 * we read; unknown fields are ignored. Nullable where TMDb sends null for new films.
 */

/** A movie in search and find results. */
const tmdbMovieResultSchema = z.object({
  id: z.number().int().positive(),
  title: z.string(),
  original_title: z.string().optional(),
  original_language: z.string().optional(),
  /** "YYYY-MM-DD", or "" when TMDb has no date (common for festival films). */
  release_date: z.string().nullish(),
  popularity: z.number().optional(),
  vote_count: z.number().optional(),
  poster_path: z.string().nullish(),
});
export type TmdbMovieResult = z.infer<typeof tmdbMovieResultSchema>;

/** `GET /find/{imdb_id}?external_source=imdb_id` — a miss is 200 with `movie_results: []`. */
export const tmdbFindSchema = z.object({
  movie_results: z.array(tmdbMovieResultSchema),
  /** Never candidates for a film; kept only to be counted. */
  person_results: z.array(z.unknown()).optional(),
  tv_results: z.array(z.unknown()).optional(),
  tv_episode_results: z.array(z.unknown()).optional(),
  tv_season_results: z.array(z.unknown()).optional(),
});
export type TmdbFind = z.infer<typeof tmdbFindSchema>;

/** `GET /search/movie?query=&year=&include_adult=false&page=` */
export const tmdbSearchSchema = z.object({
  page: z.number().int(),
  results: z.array(tmdbMovieResultSchema),
  total_pages: z.number().int(),
  total_results: z.number().int(),
});
export type TmdbSearch = z.infer<typeof tmdbSearchSchema>;

const crewSchema = z.object({
  name: z.string(),
  job: z.string().optional(),
  department: z.string().optional(),
});
const castSchema = z.object({ name: z.string(), order: z.number().optional() });

/** `GET /movie/{id}?append_to_response=credits,external_ids,alternative_titles,release_dates` */
export const tmdbMovieDetailsSchema = z.object({
  id: z.number().int().positive(),
  title: z.string(),
  original_title: z.string().optional(),
  original_language: z.string().optional(),
  release_date: z.string().nullish(),
  runtime: z.number().nullish(),
  overview: z.string().nullish(),
  poster_path: z.string().nullish(),
  imdb_id: z.string().nullish(),
  vote_average: z.number().nullish(),
  vote_count: z.number().nullish(),
  genres: z.array(z.object({ id: z.number().optional(), name: z.string() })).default([]),
  production_countries: z.array(z.object({ iso_3166_1: z.string() })).default([]),
  spoken_languages: z.array(z.object({ iso_639_1: z.string() })).default([]),
  credits: z
    .object({ cast: z.array(castSchema).default([]), crew: z.array(crewSchema).default([]) })
    .optional(),
  /** `imdb_id` is null for new films TMDb has not linked yet. */
  external_ids: z.object({ imdb_id: z.string().nullish() }).optional(),
  alternative_titles: z
    .object({
      titles: z.array(
        z.object({ iso_3166_1: z.string().optional(), title: z.string(), type: z.string().optional() }),
      ),
    })
    .optional(),
  release_dates: z
    .object({
      results: z.array(
        z.object({
          iso_3166_1: z.string(),
          release_dates: z.array(z.object({ release_date: z.string(), type: z.number().optional() })),
        }),
      ),
    })
    .optional(),
});
export type TmdbMovieDetails = z.infer<typeof tmdbMovieDetailsSchema>;

/** Error body: `{success:false, status_code, status_message}`. */
export const tmdbErrorSchema = z.object({
  success: z.literal(false).optional(),
  status_code: z.number().int(),
  status_message: z.string(),
});
