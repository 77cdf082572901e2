/**
 * IMDb title types (`__NEXT_DATA__` `titleType.id`) and which of them a film nomination may
 * resolve to. A festival nominates feature films, shorts and, at some festivals, TV films or
 * direct-to-video features: those are accepted. Series, mini-series, episodes, specials,
 * games, music videos and podcasts are not films, whatever JSON-LD's `@type` says (IMDb
 * writes `Movie` there for a tvMovie too): a record of that type is refused.
 * A title with no known type is not refused: absence is no evidence.
 */
export const filmTitleTypes = ['movie', 'short', 'tvMovie', 'tvShort', 'video'] as const;

const accepted: ReadonlySet<string> = new Set(filmTitleTypes);

/** True when a title of this type may be the film a nomination names. */
export function isFilmTitleType(titleType: string | undefined): boolean {
  return titleType === undefined || accepted.has(titleType);
}

/** OMDb's `Type` (movie, series, episode, game) as the IMDb title type it stands for. */
export function omdbTypeToTitleType(type: string | undefined): string | undefined {
  const t = type?.trim();
  if (t === undefined || t === '' || t === 'N/A') return undefined;
  const known: Record<string, string> = {
    movie: 'movie',
    series: 'tvSeries',
    episode: 'tvEpisode',
    game: 'videoGame',
  };
  return known[t] ?? t;
}
