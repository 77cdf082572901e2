/**
 * Plain-text tables for the ops commands: a header row, a rule, then the rows, columns
 * padded to their widest cell. Numbers are right-aligned so that they can be compared down
 * a column; everything else is left-aligned.
 */

/** A cell: text as is, numbers right-aligned. */
export type Cell = string | number;

export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => headers.map((_, i) => String(row[i] ?? '')));
  const numeric = headers.map(
    (_, i) =>
      rows.length > 0 &&
      rows.every((row) => typeof row[i] === 'number' || /^[\d.,%$ –-]+$/.test(String(row[i] ?? ''))),
  );
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (numeric[i] === true ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

/** A share as a percentage with one decimal ("–" when there is nothing to divide). */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** US dollars with 4 decimals (OMDb calls cost a tenth of a cent). */
export function usd(value: number): string {
  return `$${value.toFixed(4)}`;
}
