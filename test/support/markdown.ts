/** Just enough Markdown for tests that hold README's tables to the code. */

/**
 * The rows of the first table after the line `heading` (e.g. `## Configuration`) and before the
 * next heading, each keyed by its column's header. Fails when there is no such table.
 */
export function tableUnder(markdown: string, heading: string): Record<string, string>[] {
  const lines = markdown.split('\n');
  const at = lines.indexOf(heading);
  if (at === -1) throw new Error(`no heading "${heading}"`);
  const section = lines.slice(at + 1);
  const end = section.findIndex((line) => /^#{1,6} /.test(line));
  const body = end === -1 ? section : section.slice(0, end);
  const first = body.findIndex((line) => line.startsWith('|'));
  if (first === -1) throw new Error(`no table under "${heading}"`);
  const rest = body.slice(first);
  const stop = rest.findIndex((line) => !line.startsWith('|'));
  const table = stop === -1 ? rest : rest.slice(0, stop);
  const [header, separator, ...rows] = table.map(cells);
  if (!header || !separator?.every((cell) => /^:?-+:?$/.test(cell))) throw new Error(`no table under "${heading}"`);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

/** A table line's cells, trimmed; `\|` is a pipe inside a cell. */
function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replaceAll('\\|', '|'));
}
