/** README's configuration table against the config's models: the same variables, concerns and defaults. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, parseConfig, type ConfigVariable } from '../../src/config/config.ts';
import { tableUnder } from '../support/markdown.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const rows = tableUnder(readme, '## Configuration');

/** How README's Default column writes what an unset variable gives. */
function documented(unset: ConfigVariable['default']): string | undefined {
  if (unset === undefined) return undefined;
  return 'value' in unset ? `\`${String(unset.value)}\`` : unset.meaning;
}

/** `NAME` → NAME; anything else (two names in a cell, no backticks) stays as written and fails. */
const variableName = (cell: string) => /^`([A-Z][A-Z0-9_]*)`$/.exec(cell)?.[1] ?? cell;

describe("README's configuration table", () => {
  it('has the columns the test reads', () => {
    expect(Object.keys(rows[0] ?? {})).toEqual(['Name', 'Concern', 'Default', 'Description']);
  });

  it('lists exactly the variables the config reads, each once', () => {
    const listed = rows.map((row) => variableName(row.Name!));
    expect([...listed].sort()).toEqual(CONFIG_VARIABLES.map((variable) => variable.name).sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("gives each variable its concern and default, as the models say", () => {
    const inReadme = Object.fromEntries(
      rows.map((row) => [variableName(row.Name!), { concern: row.Concern, default: row.Default }]),
    );
    const inCode = Object.fromEntries(
      CONFIG_VARIABLES.map((variable) => [variable.name, { concern: variable.concern, default: documented(variable.default) }]),
    );
    expect(inReadme).toEqual(inCode);
  });

  it('describes every variable', () => {
    for (const row of rows) expect(row.Description, row.Name).not.toBe('');
  });
});

describe('the config models', () => {
  it('read each variable in one concern only', () => {
    const names = CONFIG_VARIABLES.map((variable) => variable.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('say, for each variable, what leaving it unset gives (a default, or its meaning)', () => {
    const undocumented = CONFIG_VARIABLES.filter((variable) => variable.default === undefined).map((variable) => variable.name);
    expect(undocumented).toEqual([]);
  });

  it('expose each variable with its name, concern and default', () => {
    expect(CONFIG_VARIABLES).toContainEqual({ name: 'PORT', concern: 'http', default: { value: 4000 } });
    expect(CONFIG_VARIABLES).toContainEqual({
      name: 'DATABASE_URL',
      concern: 'database',
      default: { meaning: 'unset: the embedded demo' },
    });
  });

  const literalDefaults = CONFIG_VARIABLES.flatMap(({ name, default: unset }) =>
    unset !== undefined && 'value' in unset ? [{ name, written: String(unset.value) }] : [],
  );

  it.each(literalDefaults)('$name=$written (its default, written out as README shows it) changes nothing', ({ name, written }) => {
    expect(parseConfig({ [name]: written })).toEqual(parseConfig({}));
  });
});
