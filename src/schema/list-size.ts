/**
 * How long a list field's answer can be, declared where the field is, for whatever counts what a
 * request may cost (the cost limit): `...listSize('ids')` on a field stores
 * `extensions.listSize = { slicingArguments: ['ids'] }`, after the `@listSize(slicingArguments:)`
 * of the GraphQL cost directives specification. A slicing argument that is a number (`first`)
 * bounds the list; one that is a list (`ids`) gives its length: the answer has one item per id.
 */
import type { GraphQLField } from 'graphql';

export interface ListSize {
  /** Arguments whose value (a number) or length (a list) is the length of the answer. */
  readonly slicingArguments: readonly string[];
}

export function listSize(...slicingArguments: string[]): { readonly extensions: { readonly listSize: ListSize } } {
  return { extensions: { listSize: { slicingArguments } } };
}

/** A field's declaration, if it has one. */
export function listSizeOf(field: GraphQLField<unknown, unknown>): ListSize | undefined {
  return (field.extensions as { listSize?: ListSize } | undefined)?.listSize;
}
