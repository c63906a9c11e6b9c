/**
 * What the HTTP port answers before the service exists (while the embedded database starts, say):
 * alive, not ready, and NOT_READY to everything else, as the service itself answers until its
 * first load. The port is taken first so that a second start finds it taken before doing anything.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERRORS, NOT_READY_RETRY_AFTER_S } from '../errors.ts';

export function answerWhileStarting(request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/health') {
    response.writeHead(200).end();
    return;
  }
  const body = JSON.stringify({
    errors: [{ message: 'usergraph is starting; retry shortly.', extensions: { code: ERRORS.NOT_READY.code } }],
  });
  response
    .writeHead(ERRORS.NOT_READY.status, {
      'content-type': 'application/json; charset=utf-8',
      'retry-after': String(NOT_READY_RETRY_AFTER_S),
    })
    .end(body);
  request.resume();
}
