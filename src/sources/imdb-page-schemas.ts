import { z } from 'zod';

/**
 * The two machine-readable blocks of an IMDb title page (`https://www.imdb.com/title/tt…/`).
 * Lenient on purpose: IMDb changes its page often, and a missing field is not an error.
 */

const person = z.object({ name: z.string().optional(), url: z.string().optional() }).loose();
const oneOrMany = <T extends z.ZodType>(s: T) => z.union([s, z.array(s)]);

/** `<script type="application/ld+json">` with `@type: Movie`. */
export const imdbJsonLdSchema = z
  .object({
    '@type': z.union([z.string(), z.array(z.string())]),
    url: z.string().optional(),
    /** The ORIGINAL title (Mononoke-hime); may hold HTML entities such as `&apos;`. */
    name: z.string().optional(),
    /** The localized (English) title when it differs from `name` (Princess Mononoke). */
    alternateName: z.string().optional(),
    image: z.string().optional(),
    description: z.string().optional(),
    /** One country's release date: never the title's year (Taken: 2009-01-30, a 2008 film). */
    datePublished: z.string().optional(),
    /** ISO 8601, e.g. PT2H12M. */
    duration: z.string().optional(),
    genre: oneOrMany(z.string()).optional(),
    director: oneOrMany(person).optional(),
    actor: oneOrMany(person).optional(),
    /** Absent for films without votes (unreleased). */
    aggregateRating: z
      .object({
        ratingValue: z.union([z.number(), z.string()]).optional(),
        ratingCount: z.union([z.number(), z.string()]).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
export type ImdbJsonLd = z.infer<typeof imdbJsonLdSchema>;

const textNode = z.object({ text: z.string().nullish() }).loose().nullish();

/** `props.pageProps` of `<script id="__NEXT_DATA__">`. */
export const imdbNextDataSchema = z.object({
  props: z
    .object({
      pageProps: z
        .object({
          aboveTheFoldData: z
            .object({
              id: z.string().nullish(),
              /** movie, short, tvMovie, tvSeries, tvEpisode… (JSON-LD says `Movie` for a tvMovie). */
              titleType: z.object({ id: z.string().nullish() }).loose().nullish(),
              productionStatus: z
                .object({
                  currentProductionStage: z.object({ id: z.string().nullish() }).loose().nullish(),
                })
                .loose()
                .nullish(),
              titleText: textNode,
              originalTitleText: textNode,
              releaseYear: z.object({ year: z.number().nullish() }).loose().nullish(),
              releaseDate: z
                .object({
                  year: z.number().nullish(),
                  month: z.number().nullish(),
                  day: z.number().nullish(),
                })
                .loose()
                .nullish(),
              runtime: z.object({ seconds: z.number().nullish() }).loose().nullish(),
              genres: z.unknown().optional(),
              plot: z.unknown().optional(),
              ratingsSummary: z
                .object({ aggregateRating: z.number().nullish(), voteCount: z.number().nullish() })
                .loose()
                .nullish(),
              primaryImage: z.object({ url: z.string().nullish() }).loose().nullish(),
            })
            .loose()
            .nullish(),
          mainColumnData: z.record(z.string(), z.unknown()).nullish(),
        })
        .loose(),
    })
    .loose(),
});
export type ImdbNextData = z.infer<typeof imdbNextDataSchema>;
