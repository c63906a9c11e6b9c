/** The logger: JSON lines or readable ones, which format when, request ids, and what it never writes. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, firstTimeInRequest, logFormatFor, withRequestId } from '../../src/logger.ts';

function sink() {
  const written: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      done();
    },
  });
  return { destination, written: () => written.join('') };
}

describe('createLogger', () => {
  it('writes one JSON object per line, with the request id of the request being served', async () => {
    const { destination, written } = sink();
    const logger = createLogger('info', { destination });
    logger.info('outside');
    await withRequestId('req-1', async () => {
      await Promise.resolve();
      logger.info({ authorization: 'Bearer secret-token' }, 'inside');
    });
    await new Promise((resolve) => setImmediate(resolve));
    const lines = written().trim().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).not.toHaveProperty('requestId');
    expect(lines[1]).toMatchObject({ msg: 'inside', requestId: 'req-1', authorization: '[redacted]' });
    expect(written()).not.toContain('secret-token');
  });

  it('writes readable lines in the pretty format', async () => {
    const { destination, written } = sink();
    createLogger('info', { destination, format: 'pretty' }).info({ count: 3 }, 'users loaded');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toMatch(/INFO.*users loaded/);
    expect(written()).toContain('count: 3');
    expect(() => JSON.parse(written())).toThrow();
  });
});

describe('logFormatFor', () => {
  it('is LOG_FORMAT when given, else pretty only on a terminal in development', () => {
    expect(logFormatFor({ logFormat: 'json', env: 'development' }, true)).toBe('json');
    expect(logFormatFor({ logFormat: 'pretty', env: 'production' }, false)).toBe('pretty');
    expect(logFormatFor({ logFormat: undefined, env: 'development' }, true)).toBe('pretty');
    expect(logFormatFor({ logFormat: undefined, env: 'development' }, false)).toBe('json');
    expect(logFormatFor({ logFormat: undefined, env: 'production' }, true)).toBe('json');
  });
});

describe('firstTimeInRequest', () => {
  it('says yes once per key and request, and always outside a request', () => {
    withRequestId('a', () => {
      expect(firstTimeInRequest('boom')).toBe(true);
      expect(firstTimeInRequest('boom')).toBe(false);
      expect(firstTimeInRequest('other')).toBe(true);
    });
    withRequestId('b', () => expect(firstTimeInRequest('boom')).toBe(true));
    expect(firstTimeInRequest('boom')).toBe(true);
    expect(firstTimeInRequest('boom')).toBe(true);
  });
});
