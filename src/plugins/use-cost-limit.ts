/**
 * The cost limit (MAX_COST): what a request may cost, counted with its variables' values before
 * anything of it runs (see http/operation-cost.ts). A batch counts as a whole: when its operations
 * together cost more than the limit, each of them is refused. The fast lane counts the same cost
 * and leaves such a request to yoga, which refuses it here.
 */
import type { GraphQLSchema } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Limits } from '../config/config.ts';
import { ERRORS } from '../errors.ts';
import { createOperationCosts } from '../http/operation-cost.ts';

export interface CostLimitOptions {
  readonly schema: GraphQLSchema;
  readonly limits: Limits;
}

export function useCostLimit({ schema, limits }: CostLimitOptions): Plugin {
  const costs = createOperationCosts(schema, limits);
  const refused = new WeakMap<Request, Error>();
  return {
    onRequestParse: ({ request }) => ({
      onRequestParseDone: ({ requestParserResult }) => {
        const batch: unknown[] = Array.isArray(requestParserResult) ? requestParserResult : [requestParserResult];
        if (batch.length > Math.max(limits.maxBatch, 1)) return; // yoga refuses the batch itself
        let total = 0;
        for (const params of batch) total += costs.costOf(typeof params === 'object' && params !== null ? params : {});
        if (total > limits.maxCost) refused.set(request, costRefusal(total, limits.maxCost, batch.length));
      },
    }),
    // Before yoga reads the operation: nothing of a refused request runs, in a batch or alone.
    onParams: ({ request, setResult }) => {
      const refusal = refused.get(request);
      if (refusal) setResult({ errors: [refusal as never] });
    },
  };
}

/** Refused as validation refuses: 200 to application/json, 400 to application/graphql-response+json. */
function costRefusal(cost: number, maxCost: number, operations: number) {
  const what = operations > 1 ? `its ${operations} operations together may answer` : 'it may answer';
  return createGraphQLError(
    `Cost limit of ${maxCost} exceeded: ${what} ${cost} values (lists counted at their first, ids or assumed size).`,
    { extensions: { code: ERRORS.QUERY_TOO_COMPLEX.code, http: { spec: true, status: 400 } } },
  );
}
