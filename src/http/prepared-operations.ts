/**
 * Documents parsed and validated once, then reused: the fast lane's cache, keyed by the query
 * text. Parsing and validation are yoga's own (its envelop, so every rule of every plugin applies:
 * Armor's limits, introspection off, …): a document is prepared only when yoga would accept it.
 * Whatever yoga would refuse, or the fast lane does not run (mutations, subscriptions), is
 * remembered as declined, so a repeated bad document costs one lookup here before yoga answers it.
 */
import { Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { AnswerTexts } from './answer-texts.ts';
import { compileQuery, type CompiledQuery, type ScopesOf } from './compiled-query.ts';
import { compileOperationCost, type OperationCost } from './operation-cost.ts';

export interface PreparedOperation {
  readonly document: DocumentNode;
  /** The operation to run, by name; undefined for the document's only operation. */
  readonly operationName: string | undefined;
  /** The operation's own name (for logs and metrics); null when it has none. */
  readonly name: string | null;
  /** The operation compiled (see compiled-query.ts); undefined when the compiler does not understand it. */
  readonly compiled: CompiledQuery | undefined;
  /** What a run with given variables may cost (MAX_COST, see operation-cost.ts). */
  readonly cost: OperationCost;
}

export interface Enveloped {
  readonly schema: GraphQLSchema;
  parse(source: string): DocumentNode;
  validate(schema: GraphQLSchema, document: DocumentNode): readonly unknown[];
}

export interface PreparedOperations {
  /** The query operation to run, or undefined when this request must go to yoga. */
  prepare(query: string, operationName: string | null | undefined): PreparedOperation | undefined;
  /** Users whose answer texts are kept now (see answer-texts.ts). */
  readonly keptAnswerTexts: number;
}

/** Documents kept; the oldest go first. */
const MAX_DOCUMENTS = 1_000;
/** Longer texts are not kept: one-off documents should not push out the ones clients repeat. */
const MAX_KEPT_QUERY_LENGTH = 16_384;

type Entry = { readonly document: DocumentNode; readonly queries: ReadonlyMap<string | undefined, PreparedOperation> } | 'declined';

/**
 * `keptUsers`: users whose answer texts are kept, per generation (see answer-texts.ts); up to twice
 * this many are held, a few hundred bytes each.
 */
export function createPreparedOperations(
  enveloped: Enveloped,
  scopesOf: ScopesOf,
  limits: { readonly maxDepth: number },
  keptUsers: number,
): PreparedOperations {
  const texts = new AnswerTexts(keptUsers);
  const prepared = (document: DocumentNode, operationName: string | undefined, name: string | null): PreparedOperation => ({
    document,
    operationName,
    name,
    compiled: compileQuery(enveloped.schema, document, operationName, scopesOf, texts),
    cost: compileOperationCost(enveloped.schema, document, operationName, limits.maxDepth),
  });

  const entries = new Map<string, Entry>();

  const prepareDocument = (query: string): Entry => {
    let document: DocumentNode;
    try {
      document = enveloped.parse(query);
    } catch {
      return 'declined';
    }
    if (enveloped.validate(enveloped.schema, document).length > 0) return 'declined';
    const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
    const queries = new Map<string | undefined, PreparedOperation>();
    for (const operation of operations) {
      if (operation.operation !== 'query') continue;
      const name = operation.name?.value;
      if (name !== undefined) queries.set(name, prepared(document, name, name));
      // Without an operationName, only a document of one operation can run.
      if (operations.length === 1) queries.set(undefined, prepared(document, undefined, name ?? null));
    }
    return { document, queries };
  };

  return {
    get keptAnswerTexts() {
      return texts.size;
    },
    prepare(query, operationName) {
      let entry = entries.get(query);
      if (entry === undefined) {
        entry = prepareDocument(query);
        if (query.length <= MAX_KEPT_QUERY_LENGTH) {
          if (entries.size >= MAX_DOCUMENTS) entries.delete(entries.keys().next().value!);
          entries.set(query, entry);
        }
      }
      return entry === 'declined' ? undefined : entry.queries.get(operationName ?? undefined);
    },
  };
}
