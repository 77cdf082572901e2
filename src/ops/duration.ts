/** Parses a look-back window such as `30d`, `12h` or `90m` into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([dhm])\s*$/i.exec(text);
  if (!m) throw new Error(`expected a duration such as 30d, 12h or 90m; got ${JSON.stringify(text)}`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[(m[2] ?? 'd').toLowerCase() as 'd' | 'h' | 'm'];
  return Math.round(Number(m[1]) * unit);
}

/** The instant `duration` before `now`. */
export function since(duration: string, now = new Date()): Date {
  return new Date(now.getTime() - parseDuration(duration));
}
