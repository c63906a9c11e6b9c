/**
 * The errors we expect (src/schema/errors.ts) are cheap to make in numbers: a page of 500 users
 * asked for personal fields by a key that may not read them makes one refusal per field per user.
 */
import { buildSchema, execute, parse, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BadUserInputError, ForbiddenError, UnauthenticatedError } from '../../src/schema/errors.ts';

describe('expected errors', () => {
  it('carry no stack frames: where a refusal was made is no bug to trace', () => {
    for (const error of [new ForbiddenError(), new UnauthenticatedError(), new BadUserInputError('no')]) {
      expect(error.stack).not.toMatch(/\n\s+at /);
    }
    // Errors made afterwards keep theirs.
    expect(new Error('unexpected').stack).toMatch(/\n\s+at /);
  });

  it('are located when made from a field: graphql-js answers them as they are, unwrapped', async () => {
    const schema = buildSchema('type Query { secret: String }');
    let made: ForbiddenError | undefined;
    const result = await execute({
      schema,
      document: parse('{ alias: secret }'),
      rootValue: {
        secret: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
          made = new ForbiddenError('no', info);
          throw made;
        },
      },
    });
    expect(result.errors?.[0]).toBe(made);
    expect(result.errors?.[0]?.toJSON()).toEqual({
      message: 'no',
      locations: [{ line: 1, column: 3 }],
      path: ['alias'],
      extensions: { code: 'FORBIDDEN' },
    });
  });
});
