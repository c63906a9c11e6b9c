/**
 * Tells the request's record (http/request-record.ts) what yoga learnt of it: the operations it
 * ran, the caller, the lookups, and the codes of the errors it answered with. The fast lane
 * reports the same for the requests it answers.
 */
import type { IncomingMessage } from 'node:http';
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { operationNameOrUndefined, recordOf } from '../http/request-record.ts';
import type { GraphQLContext } from '../schema/context.ts';

/** What yoga's node adapter puts in the server context. */
interface NodeServerContext {
  readonly req?: IncomingMessage;
}

export function useRequestRecord(): Plugin {
  return {
    onParams({ params, context }) {
      const record = recordOf((context as NodeServerContext).req);
      if (record && record.requestedOperation === undefined) record.requestedOperation = operationNameOrUndefined(params?.operationName);
    },
    onExecute({ args }) {
      const context = args.contextValue as GraphQLContext & NodeServerContext;
      const record = recordOf(context.req);
      if (!record) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation) record.operations.push({ name: operation.name?.value ?? null, type: operation.operation });
      record.caller = context.caller.kind;
      record.lookups.push(context.loaders.stats);
    },
    onSubscribe({ args }) {
      const context = args.contextValue as GraphQLContext & NodeServerContext;
      const record = recordOf(context.req);
      if (!record) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation) record.operations.push({ name: operation.name?.value ?? null, type: operation.operation });
      record.caller = context.caller.kind;
    },
    onResultProcess({ result, serverContext }) {
      const record = recordOf((serverContext as NodeServerContext).req);
      if (!record || Symbol.asyncIterator in result) return; // a stream's errors travel as events
      for (const one of Array.isArray(result) ? result : [result]) {
        for (const error of (one as ExecutionResult).errors ?? []) {
          record.errorCodes.push(typeof error.extensions?.code === 'string' ? error.extensions.code : 'UNKNOWN');
        }
      }
    },
  };
}
