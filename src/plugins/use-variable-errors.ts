/**
 * Variables graphql-js refuses before the operation starts (a string for an Int, an Int over 32
 * bits, a required variable missing or null) come without a code: they get BAD_USER_INPUT, as
 * arguments the rules refuse do. They keep yoga's HTTP status (400).
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERRORS } from '../errors.ts';

export function useVariableErrors(): Plugin {
  const coded = ({ result, setResult }: { result: unknown; setResult: (result: ExecutionResult) => void }) => {
    // With no data at all, the operation never started: an error without a code is a variable refused.
    if (typeof result !== 'object' || result === null || Symbol.asyncIterator in result || 'data' in result) return;
    const { errors } = result as ExecutionResult;
    if (!errors?.some((error) => error.extensions.code === undefined)) return;
    setResult({
      ...(result as ExecutionResult),
      errors: errors.map((error) =>
        error.extensions.code === undefined
          ? new GraphQLError(error.message, {
              nodes: error.nodes ?? null,
              source: error.source ?? null,
              positions: error.positions ?? null,
              path: error.path ?? null,
              originalError: error.originalError ?? null,
              extensions: { ...error.extensions, code: ERRORS.BAD_USER_INPUT.code },
            })
          : error,
      ),
    });
  };
  return {
    onExecute: () => ({ onExecuteDone: coded }),
    onSubscribe: () => ({ onSubscribeResult: coded }),
  };
}
