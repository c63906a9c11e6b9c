/**
 * Closes an HTTP server without failing a request that reached it. Node's own `server.close()`
 * also closes idle kept-alive connections at once, and a request a client is sending on one at
 * that moment fails with ECONNRESET. Here:
 *
 * 1. the listening socket closes: new connections are refused (ECONNREFUSED, a clean refusal
 *    that clients and load balancers retry elsewhere);
 * 2. kept-alive connections stay open for `idleGraceMs`: a request arriving on one is answered,
 *    with `Connection: close` (the app drains, see front-door.ts), and its connection then closes;
 * 3. after that, connections with no request in flight are closed, and again as they fall idle;
 * 4. after `graceMs`, whatever is still open is cut.
 *
 * Resolves once every connection is gone.
 */
import { Server as NetServer } from 'node:net';
import type { Server } from 'node:http';

export interface GracefulCloseOptions {
  /** The longest a request in flight may still take. */
  readonly graceMs: number;
  /** How long idle kept-alive connections are left for a last request. */
  readonly idleGraceMs?: number;
}

export interface CloseOutcome {
  /** True when connections were still open at `graceMs` and were cut. */
  readonly forced: boolean;
}

export function closeGracefully(server: Server, { graceMs, idleGraceMs = 1_000 }: GracefulCloseOptions): Promise<CloseOutcome> {
  return new Promise((resolve) => {
    let forced = false;
    // net's close, not http's: it stops accepting without touching the open connections.
    NetServer.prototype.close.call(server, () => {
      clearTimeout(sweeping);
      clearTimeout(cutting);
      resolve({ forced });
    });
    const sweep = () => {
      server.closeIdleConnections();
      sweeping = setTimeout(sweep, 100);
    };
    let sweeping = setTimeout(sweep, Math.min(idleGraceMs, graceMs));
    const cutting = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, graceMs);
  });
}
