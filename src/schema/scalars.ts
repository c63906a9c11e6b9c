/** DateTime (ISO-8601 UTC with milliseconds), JSONObject (metadata: always an object) and JSON (a value to compare metadata with). */
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

function parseJsonObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadUserInputError('JSONObject must be a JSON object, e.g. {"plan": "pro"}.');
  }
  return value as Record<string, unknown>;
}

// A scalar of its own rather than any JSON: metadata is always an object, and typed clients can
// say so (Record<string, unknown>, not unknown).
builder.scalarType('JSONObject', {
  description: 'A JSON object, e.g. {"plan": "pro"}.',
  serialize: (value) => value,
  parseValue: parseJsonObject,
  parseLiteral: (ast, variables) => parseJsonObject(ast.kind === Kind.OBJECT ? valueFromASTUntyped(ast, variables) : null),
});

// Any JSON value: what a metadata condition compares a value with (a string, a number, an object…).
builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
