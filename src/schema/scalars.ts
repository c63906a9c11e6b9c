/** DateTime (ISO-8601 UTC with milliseconds) and JSON. */
import { Kind, valueFromASTUntyped } from 'graphql';
import { builder } from './builder.ts';
import { BadUserInputError } from './errors.ts';
import { dateTime } from './inputs.ts';

function parseDateTime(value: unknown): Date {
  const parsed = dateTime.safeParse(value);
  if (!parsed.success) throw new BadUserInputError(`${parsed.error.issues[0]!.message}.`);
  return parsed.data;
}

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO-8601 UTC string with milliseconds, e.g. "2024-01-15T09:30:00.000Z".',
  serialize: (value) => new Date(value).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : null),
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
