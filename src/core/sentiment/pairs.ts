/**
 * The two-word entries of `table` that `first` opens, as second word → valence; empty
 * when `starts` (the first words of the table's two-word keys) does not hold it.
 */
export function pairsOpenedBy(table: ReadonlyMap<string, number>, starts: ReadonlySet<string>, first: string): [second: string, valence: number][] {
  if (!starts.has(first)) return [];
  const out: [string, number][] = [];
  for (const [key, v] of table) if (key.startsWith(first + ' ')) out.push([key.slice(first.length + 1), v]);
  return out;
}
