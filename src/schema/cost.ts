/**
 * What a field costs, declared beside it, after the GraphQL cost directives specification's
 * `@cost(weight)` and `@listSize(assumedSize, slicingArguments, sizedFields)`. A request's cost is
 * the number of values its answers may hold (see http/operation-cost.ts): every field counts its
 * weight (1 unless declared) once per item it appears in, and a list of objects multiplies what is
 * selected inside it by its size. A list the caller sizes names the arguments that size it; one
 * sized by the data says what it typically holds:
 *
 *   users: t.field({ ...cost({ listSize: { slicingArguments: ['first'], sizedFields: ['edges', 'nodes'], assumedSize: 50 } }) })
 *   usersByIds: t.field({ ...cost({ listSize: { slicingArguments: ['ids'], assumedSize: 0 } }) })
 *   loginMethods: t.field({ ...cost({ listSize: { assumedSize: 2 } }) })
 *
 * test/unit/operation-cost.test.ts checks that every list of objects declares its size, and that
 * every field taking an argument that could size a list declares which one does.
 */

export interface ListSize {
  /**
   * The arguments that bound the list: an Int argument by its value, a list argument by its
   * length, literal or variable alike; when several are given, the largest counts.
   */
  readonly slicingArguments?: readonly string[];
  /**
   * The child fields the bound applies to, for a field that returns one object holding the list
   * (a connection's `edges` and `nodes`); none: the field's own list.
   */
  readonly sizedFields?: readonly string[];
  /** The size when no slicing argument has a value (its default, or none declared). */
  readonly assumedSize: number;
}

export interface FieldCost {
  /** What one value of the field costs; 1 when not declared. */
  readonly weight?: number;
  readonly listSize?: ListSize;
}

/** Where a field's declaration is kept: its GraphQL extensions. */
export const COST_EXTENSION = 'cost';

/** Spread into a field's options. */
export function cost(declared: FieldCost) {
  return { extensions: { [COST_EXTENSION]: declared } } as const;
}
