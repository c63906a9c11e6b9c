/**
 * `GET /users.ndjson`: every user the filters select, one JSON object a line, in listing order,
 * from the one snapshot that was current when the export began. The filters are the `users`
 * field's arguments but paging; that field runs first (`first: 0`), so that its own rules and
 * validation decide (401, 403, 400) and its resolver says which users the arguments select. Then
 * the snapshot's users are walked lazily, a batch at a time, each batch read through `usersByIds`
 * (the User type's rules decide each user's fields, as for GraphQL) and written out; the next
 * batch waits until the socket has taken the last one (backpressure), and a client that goes
 * away ends the walk. Memory holds one batch, whatever the number of users.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Caller } from '../auth/caller.ts';
import type { UserPageQuery, UserSnapshot } from '../directory/user-snapshot.ts';
import type { User } from '../directory/user.ts';
import type { Logger } from '../logger.ts';
import type { RequestContext } from '../schema/context.ts';
import { PAGING_ARGUMENTS, badInput, operationText, send, variablesFromQuery, type RestOperations } from './rest-operations.ts';

/** Users read and written at a time: one usersByIds call (its limit). */
export const EXPORT_BATCH = 500;

export interface ExportRequest {
  readonly operations: RestOperations;
  readonly caller: Caller;
  readonly params: URLSearchParams;
  readonly contextFor: (caller: Caller, snapshot?: UserSnapshot) => RequestContext;
  readonly snapshot: UserSnapshot;
  readonly response: ServerResponse;
  readonly logger: Logger;
}

export async function exportUsers({ operations, caller, params, contextFor, snapshot, response, logger }: ExportRequest): Promise<void> {
  const { variables, given, problems } = variablesFromQuery(operations.users, params, PAGING_ARGUMENTS);
  if (problems.length > 0) return send(response, badInput(problems));

  // The users field, asked for no user: its rules and validation answer now, and its resolver
  // hands the directory the query these arguments make, which the export walks.
  const context = contextFor(caller, snapshot);
  let query: UserPageQuery | undefined;
  const watched: RequestContext = {
    ...context,
    loaders: {
      ...context.loaders,
      listUsers: (asked) => {
        query = asked;
        return context.loaders.listUsers(asked);
      },
    },
  };
  const text = operationText('query', operations.users, ['first', ...given], operations.countSelection);
  const checked = operations.answerOf(await operations.run(text, { ...variables, first: 0 }, watched), operations.users);
  if (!('data' in checked)) return send(response, checked);
  if (!query) throw new Error('the users field answered without asking the directory');
  const totalCount = (checked.data as { totalCount: number }).totalCount;

  response.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'x-total-count': String(totalCount) });
  let gone = false;
  response.once('close', () => {
    gone = !response.writableFinished;
  });

  const batchText = operationText('query', operations.usersByIds, ['ids'], operations.userSelection);
  let exported = 0;
  const started = performance.now();
  for (const batch of batches(snapshot.users(query), EXPORT_BATCH)) {
    if (gone) break;
    const answer = operations.answerOf(
      await operations.run(batchText, { ids: batch.map((user) => user.id) }, contextFor(caller, snapshot)),
      operations.usersByIds,
    );
    if (!('data' in answer)) {
      // The headers are out: the client sees a cut stream (no final newline), the log says why.
      logger.error({ status: answer.status, errors: answer.body }, 'the export failed after it began; the response is cut short');
      response.destroy();
      return;
    }
    const lines = (answer.data as unknown[]).map((user) => JSON.stringify(user)).join('\n');
    exported += batch.length;
    if (!response.write(`${lines}\n`) && !gone) await drainedOrClosed(response);
  }
  if (gone) {
    logger.info({ exported, totalCount }, 'export stopped: the client went away');
    return;
  }
  response.end();
  logger.info({ exported, durationMs: Math.round(performance.now() - started) }, 'export done');
}

function* batches(users: Iterable<User>, size: number): Generator<User[]> {
  let batch: User[] = [];
  for (const user of users) {
    batch.push(user);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Until the socket wants more, or is gone. */
async function drainedOrClosed(response: ServerResponse): Promise<void> {
  const controller = new AbortController();
  await Promise.race([once(response, 'drain', { signal: controller.signal }), once(response, 'close', { signal: controller.signal })]).catch(() => {});
  controller.abort();
}
