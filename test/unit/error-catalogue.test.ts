/** The catalogue of error codes: README's error table says the same, and no code is spelled outside it. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorEntry } from '../../src/errors.ts';
import { tableUnder } from '../support/markdown.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const rows = tableUnder(readme, '### Errors');
const entries: readonly ErrorEntry[] = Object.values(ERRORS);

/** `CODE` → CODE; anything else stays as written and fails. */
const codeIn = (cell: string) => /^`([A-Z][A-Z_]*)`$/.exec(cell)?.[1] ?? cell;

describe('the error catalogue', () => {
  it('keys each entry by its own code, with a one-line when', () => {
    for (const [key, entry] of Object.entries(ERRORS)) {
      expect(entry.code).toBe(key);
      expect(entry.when).toMatch(/^[^\n]+$/);
    }
  });

  it('gives HTTP statuses that are client or server errors', () => {
    for (const entry of entries) if (entry.status !== undefined) expect(entry.status, entry.code).toBeGreaterThanOrEqual(400);
  });

  it('is the only place in src/ that spells a code', () => {
    const sources = readdirSync(new URL('../../src/', import.meta.url), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => ({ file, text: readFileSync(new URL(`../../src/${file}`, import.meta.url), 'utf8') }));
    expect(sources.length).toBeGreaterThan(10);
    const spelled = sources.flatMap(({ file, text }) =>
      entries.filter(({ code }) => text.includes(`'${code}'`) || text.includes(`"${code}"`)).map(({ code }) => `${file}: ${code}`),
    );
    expect(spelled).toEqual([]);
  });
});

describe("README's error table", () => {
  it('has the columns the test reads', () => {
    expect(Object.keys(rows[0] ?? {})).toEqual(['Code', 'HTTP status', 'When']);
  });

  it('lists exactly the codes of the catalogue, each once, with its HTTP status', () => {
    const inReadme = rows.map((row) => [codeIn(row.Code!), row['HTTP status']]);
    const inCatalogue = entries.map((entry) => [entry.code, entry.status === undefined ? '' : String(entry.status)]);
    expect([...inReadme].sort()).toEqual([...inCatalogue].sort());
  });

  it('says when each happens', () => {
    for (const row of rows) expect(row.When, row.Code).not.toBe('');
  });
});
