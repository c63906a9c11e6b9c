/**
 * Coded refusals where yoga's request parsers have none: `variables` or `extensions` that are not
 * JSON in a GET's query string or a form body (yoga's parser throws a bare SyntaxError, answered
 * 500), a POST of a content type no parser takes (an empty 415), and an empty batch (answered
 * `[]`). Must come after yoga's parsers, which it wraps: any plugin of the app does.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ERRORS } from '../errors.ts';

/** What a POST may carry: JSON, a GraphQL document, or (with the CSRF header) a form. */
const CONTENT_TYPES = ['application/json', 'application/graphql', 'application/x-www-form-urlencoded'];

export function useRequestParsing(): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser) {
        if (request.method !== 'POST') return; // yoga answers other methods (405)
        throw createGraphQLError(`A POST must be one of ${CONTENT_TYPES.join(', ')}.`, {
          extensions: { code: ERRORS.UNSUPPORTED_MEDIA_TYPE.code, http: { status: ERRORS.UNSUPPORTED_MEDIA_TYPE.status } },
        });
      }
      setRequestParser(async (toParse) => {
        try {
          return await requestParser(toParse);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw badRequest(`The "variables" or "extensions" parameter is not JSON: ${error.message}`);
        }
      });
      return {
        onRequestParseDone({ requestParserResult }) {
          if (Array.isArray(requestParserResult) && requestParserResult.length === 0) throw badRequest('A batch must hold at least one operation.');
        },
      };
    },
  };
}

function badRequest(message: string) {
  return createGraphQLError(message, { extensions: { code: ERRORS.BAD_REQUEST.code, http: { status: ERRORS.BAD_REQUEST.status } } });
}
