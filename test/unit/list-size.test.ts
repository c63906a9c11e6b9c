/** What the schema tells the cost limit about the length of list answers (schema/list-size.ts). */
import { describe, expect, it } from 'vitest';
import { listSizeOf } from '../../src/schema/list-size.ts';
import { schema } from '../../src/schema/index.ts';

describe('list sizes', () => {
  it('usersByIds answers one user per id: its length is the length of ids', () => {
    expect(listSizeOf(schema.getQueryType()!.getFields().usersByIds!)).toEqual({ slicingArguments: ['ids'] });
  });

  it('names only arguments the field has', () => {
    for (const type of [schema.getQueryType()!, schema.getMutationType()!]) {
      for (const field of Object.values(type.getFields())) {
        for (const argument of listSizeOf(field)?.slicingArguments ?? []) {
          expect(field.args.map((arg) => arg.name), `${type.name}.${field.name}`).toContain(argument);
        }
      }
    }
  });
});
