import { z } from 'zod';
import type { NormalizedMovie } from '../domain/movie.js';

/**
 * The NormalizedMovie of src/domain/movie.ts as a zod schema: every adapter's mapper output
 * passes through it, so a mapping bug surfaces as invalid_response, not as a bad record.
 */
const normalizedMovieSchema = z.object({
  source: z.enum(['tmdb', 'omdb', 'imdb']),
  title: z.string().min(1),
  originalTitle: z.string().min(1).optional(),
  alternativeTitles: z.array(z.string()),
  year: z.number().int().min(1870).max(2100).optional(),
  releaseDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  releaseCountry: z.string().min(1).optional(),
  runtimeMinutes: z.number().int().positive().optional(),
  titleType: z.string().min(1).optional(),
  genres: z.array(z.string()),
  directors: z.array(z.string()),
  cast: z.array(z.string()),
  countries: z.array(z.string()),
  languages: z.array(z.string()),
  plot: z.string().optional(),
  ratings: z.array(
    z.object({
      source: z.string(),
      value: z.number(),
      scale: z.number().positive(),
      votes: z.number().int().nonnegative().optional(),
    }),
  ),
  externalIds: z.object({
    imdbId: z
      .string()
      .regex(/^tt\d{7,10}$/)
      .optional(),
    tmdbId: z.number().int().positive().optional(),
  }),
  posterUrl: z.string().url().optional(),
}) satisfies z.ZodType<NormalizedMovie>;

/** Validates a mapped movie; returns the issues as one line when it does not hold. */
export function validateMovie(
  movie: NormalizedMovie,
): { ok: true; movie: NormalizedMovie } | { ok: false; problem: string } {
  const result = normalizedMovieSchema.safeParse(movie);
  if (result.success) return { ok: true, movie: result.data };
  return {
    ok: false,
    problem: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
  };
}
