/** DateTime (ISO-8601 UTC with milliseconds) and JSON. */
import { Kind, valueFromASTUntyped } from 'graphql';
import { builder } from './builder.ts';
import { BadUserInputError } from './errors.ts';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && ISO_UTC.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new BadUserInputError('DateTime must be an ISO-8601 UTC string, e.g. "2024-01-15T09:30:00.000Z".');
  }
  return date;
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
