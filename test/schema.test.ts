/** schema.graphql is generated from the code and committed; @admin is printed and is the rule. */
import { readFile } from 'node:fs/promises';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { enforceAdminDirective } from '../src/schema/admin-directive.ts';
import { schema } from '../src/schema/index.ts';
import { printSchemaSDL } from '../src/schema/print.ts';

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after changing src/schema)', async () => {
    const committed = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printSchemaSDL(schema));
  });

  it('declares @admin and shows it on reloadUsers', () => {
    const sdl = printSchemaSDL(schema);
    expect(sdl).toContain('directive @admin on FIELD_DEFINITION');
    expect(sdl).toMatch(/reloadUsers: ReloadResult! @admin\n/);
  });
});

describe('@admin enforcement', () => {
  // Any field that carries the directive is guarded; nothing else has to be declared.
  const guarded = enforceAdminDirective(
    makeExecutableSchema({
      typeDefs: 'directive @admin on FIELD_DEFINITION\ntype Query { secret: String @admin open: String }',
      resolvers: { Query: { secret: () => 'hidden', open: () => 'visible' } },
    }),
  );
  const run = (kind: string) =>
    execute({ schema: guarded, document: parse('{ secret open }'), contextValue: { caller: { kind } } });

  it.each([
    ['anonymous', 'UNAUTHENTICATED'],
    ['unrecognised', 'FORBIDDEN'],
  ])('refuses a %s caller on the directive-carrying field only', async (kind, code) => {
    const result = await run(kind);
    expect(result.data).toEqual({ secret: null, open: 'visible' });
    expect(result.errors?.map((error) => error.extensions.code)).toEqual([code]);
  });

  it('lets an admin through', async () => {
    expect((await run('admin')).data).toEqual({ secret: 'hidden', open: 'visible' });
  });
});
