/**
 * The OpenAPI 3.0 document of the REST surface, made from the schema: each endpoint's parameters
 * are its GraphQL field's arguments (types, defaults, descriptions), and its answers the types it
 * selects (rest.ts), so that an argument or a field added to the schema appears here without more
 * work. No UI is served: point any OpenAPI tool at /openapi.json.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
} from 'graphql';
import { ERRORS } from '../errors.ts';
import { PAGING_ARGUMENTS, hasDirective, type RestOperations, type Selection } from './rest-operations.ts';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

export function openApiDocument(operations: RestOperations): Schema {
  const schemas: Record<string, Schema> = {};

  const scalar = (type: GraphQLNamedType): Schema => {
    if (isEnumType(type)) {
      schemas[type.name] ??= { type: 'string', enum: type.getValues().map((value) => value.name), description: type.description ?? undefined };
      return ref(type.name);
    }
    switch (type.name) {
      case 'Int':
        return { type: 'integer' };
      case 'Float':
        return { type: 'number' };
      case 'Boolean':
        return { type: 'boolean' };
      case 'DateTime':
        return { type: 'string', format: 'date-time' };
      case 'JSON':
        return {};
      default:
        return { type: 'string' };
    }
  };

  /** A nullable type: OpenAPI 3.0 puts `nullable` beside a schema, and a reference needs a wrapper for it. */
  const nullable = (schema: Schema): Schema => ('$ref' in schema ? { allOf: [schema], nullable: true } : Object.keys(schema).length === 0 ? schema : { ...schema, nullable: true });

  const output = (type: GraphQLOutputType, below: Selection | undefined, names: Record<string, string>): Schema => {
    if (isNonNullType(type)) return strip(output(type.ofType, below, names));
    if (isListType(type)) return nullable({ type: 'array', items: output(type.ofType, below, names) });
    return nullable(isObjectType(type) && below ? object(below, names) : scalar(type as GraphQLNamedType));
  };

  /** An object as selected, kept as a component under its type's name (or the name given for it). */
  const object = (selection: Selection, names: Record<string, string> = {}): Schema => {
    const name = names[selection.type.name] ?? selection.type.name;
    if (!schemas[name]) {
      schemas[name] = {}; // reserved: a type met again below refers to it
      const properties: Record<string, Schema> = {};
      const required: string[] = [];
      for (const { field, below } of selection.fields) {
        const personal = hasDirective(field, 'personal');
        const described = [field.description, personal ? 'Personal: left out unless the caller is the user, an admin or holds users:pii.' : undefined]
          .filter(Boolean)
          .join(' ');
        properties[field.name] = withDescription(output(field.type, below, names), described);
        if (!personal) required.push(field.name);
      }
      schemas[name] = { type: 'object', description: selection.type.description ?? undefined, properties, required };
    }
    return ref(name);
  };

  const input = (type: GraphQLInputType): Schema => {
    if (isNonNullType(type)) return strip(input(type.ofType));
    if (isListType(type)) return nullable({ type: 'array', items: input(type.ofType) });
    if (isInputObjectType(type)) {
      if (!schemas[type.name]) {
        schemas[type.name] = {};
        const fields = Object.values(type.getFields());
        schemas[type.name] = {
          type: 'object',
          description: type.description ?? undefined,
          properties: Object.fromEntries(fields.map((field) => [field.name, withDescription(input(field.type), field.description)])),
          required: fields.filter((field) => isNonNullType(field.type) && field.defaultValue === undefined).map((field) => field.name),
        };
      }
      return nullable(ref(type.name));
    }
    return nullable(scalar(type));
  };

  /** A field's argument as a query parameter: lists repeat the parameter, input objects are JSON. */
  const parameter = (arg: GraphQLArgument): Schema => {
    const named = getNamedType(arg.type);
    const base = input(arg.type);
    // Beside a $ref, OpenAPI 3.0 ignores everything: a default goes beside a wrapper.
    const schema = arg.defaultValue === undefined ? base : { ...('$ref' in base ? { allOf: [base] } : base), default: arg.defaultValue };
    const asJson = isInputObjectType(named) || (isScalarType(named) && named.name === 'JSON');
    return {
      name: arg.name,
      in: 'query',
      required: isNonNullType(arg.type) && arg.defaultValue === undefined,
      description: arg.description ?? undefined,
      ...(asJson && !isListType(nonNull(arg.type)) ? { content: { 'application/json': { schema } } } : { schema }),
    };
  };
  const parametersOf = (field: GraphQLField<unknown, unknown>, excluded: ReadonlySet<string> = new Set()) =>
    field.args.filter((arg) => !excluded.has(arg.name)).map(parameter);

  const user = object(operations.userSelection);
  const page = object(operations.pageSelection, { UserConnection: 'UserPage' });
  const reloadResult = object(operations.reloadSelection);
  schemas.Error = errorSchema();

  const json = (schema: Schema) => ({ 'application/json': { schema } });
  const refusal = (description: string) => ({ description, content: json(ref('Error')) });
  const refusals = {
    400: refusal('Bad input: a parameter the API refuses (BAD_USER_INPUT), or a limit.'),
    401: refusal('No credentials, or credentials that do not verify (UNAUTHENTICATED).'),
    403: refusal('The credentials do not allow this (FORBIDDEN).'),
  };

  return {
    openapi: '3.0.3',
    info: {
      title: 'usergraph',
      version: '1',
      description:
        "SuperTokens users over REST, from the same schema and rules as the GraphQL API at /graphql (see its schema.graphql). Errors carry the GraphQL error's code.",
    },
    security: [{ bearer: [] }],
    paths: {
      '/users': {
        get: {
          operationId: 'listUsers',
          summary: 'A page of users.',
          description: operations.users.description ?? undefined,
          parameters: parametersOf(operations.users),
          responses: { 200: { description: 'The page.', content: json(page) }, ...refusals },
        },
      },
      '/users.ndjson': {
        get: {
          operationId: 'exportUsers',
          summary: 'Every user the filters select, one JSON object a line, in listing order, from one snapshot (streamed).',
          parameters: parametersOf(operations.users, PAGING_ARGUMENTS),
          responses: {
            200: {
              description: 'One user a line (each line is a User). X-Total-Count: how many lines follow.',
              headers: { 'X-Total-Count': { schema: { type: 'integer' } } },
              content: { 'application/x-ndjson': { schema: user } },
            },
            ...refusals,
          },
        },
      },
      '/users/{id}': {
        get: {
          operationId: 'getUser',
          summary: 'The user an id names.',
          description: operations.user.description ?? undefined,
          parameters: [{ name: 'id', in: 'path', required: true, description: operations.user.args[0]?.description ?? undefined, schema: { type: 'string' } }],
          responses: {
            200: { description: 'The user.', content: json(user) },
            ...refusals,
            404: refusal('No user has this id (USER_NOT_FOUND).'),
          },
        },
      },
      '/users/reload': {
        post: {
          operationId: 'reloadUsers',
          summary: 'Reloads every user from the database (admins).',
          description: operations.reloadUsers.description ?? undefined,
          responses: {
            200: { description: 'Reloaded.', content: json(reloadResult) },
            401: refusals[401],
            403: refusals[403],
            503: refusal('The reload failed; the previous directory is still served (RELOAD_FAILED).'),
          },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key or a SuperTokens access token.' } },
      schemas,
    },
  };
}

function errorSchema(): Schema {
  return {
    type: 'object',
    description: "The errors GraphQL would give, as it gives them; the HTTP status is decided by their codes.",
    required: ['errors'],
    properties: {
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['message', 'extensions'],
          properties: {
            message: { type: 'string' },
            path: { type: 'array', items: {} },
            extensions: {
              type: 'object',
              required: ['code'],
              properties: { code: { type: 'string', enum: Object.keys(ERRORS) } },
            },
          },
        },
      },
    },
  };
}

function nonNull<T extends GraphQLInputType>(type: T): GraphQLInputType {
  return isNonNullType(type) ? type.ofType : type;
}

/** The schema of a non-null type: its nullable form without `nullable`. */
function strip(schema: Schema): Schema {
  if ('allOf' in schema && schema.nullable) return (schema.allOf as Schema[])[0]!;
  const { nullable: _nullable, ...rest } = schema;
  return rest;
}

function withDescription(schema: Schema, description: string | null | undefined): Schema {
  if (!description) return schema;
  // Beside a $ref, OpenAPI 3.0 ignores everything: wrap it.
  return '$ref' in schema ? { allOf: [schema], description } : { ...schema, description };
}
