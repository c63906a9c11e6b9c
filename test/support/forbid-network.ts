/**
 * Setup for the unit project: a unit test that opens a connection or listens on a port fails at
 * once, saying where such a test belongs, instead of passing here and failing on a machine with
 * nothing running.
 */
import net from 'node:net';

function refuse(what: string): never {
  throw new Error(`unit tests do no network I/O (${what}): move this test to test/integration`);
}

net.Socket.prototype.connect = function connect() {
  refuse('a connection');
};
net.Server.prototype.listen = function listen() {
  refuse('a listening port');
};
