/**
 * GET /users.ndjson at volume, over HTTP: 100,000 users read by a slow reader arrive whole and in
 * listing order while the server holds a batch at a time (RSS is sampled during the export and
 * printed), a change made while the export runs does not reach it (it reads one snapshot), and a
 * reader that goes away halfway stops the server producing.
 */
import { request, type IncomingMessage } from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect } from 'vitest';
import { seedSyntheticUsers } from '../../supertokens-standin/synthetic-users.ts';
import { setUserMetadata } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { USER_FIELDS } from '../support/scenario.ts';
import { READER_KEY } from '../support/server.ts';
import { sleepUntil } from '../support/wait.ts';

const USERS = 100_000;
const MiB = 1024 * 1024;

// The server runs in this process: a collection before each heap sample tells what is held from
// what is merely not collected yet (the reader's own garbage included).
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const it = test.extend('seed', { scope: 'file' }, ({ database }) => seedSyntheticUsers(database.db, { count: USERS }));

/** The export's response, as a stream the test reads at its own pace. */
function openExport(url: string, query = ''): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/users.ndjson${query}`, { headers: { authorization: `Bearer ${READER_KEY}` } }, resolve);
    req.on('error', reject);
    req.end();
  });
}

describe(`GET /users.ndjson over ${USERS.toLocaleString('en')} users`, () => {
  it('streams every user to a slow reader, in listing order, in bounded memory', { timeout: 600_000 }, async ({ server }) => {
    const expectedIds = [...server.directory.snapshot.all()].map((user) => user.id);
    expect(expectedIds).toHaveLength(USERS);

    collectGarbage();
    const before = process.memoryUsage();
    let rssPeak = before.rss;
    let heldPeak = before.heapUsed;
    const rssSampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    const heldSampler = setInterval(() => {
      collectGarbage();
      heldPeak = Math.max(heldPeak, process.memoryUsage().heapUsed);
    }, 2_000); // a full collection of this heap (100,000 users) takes a while: not too often

    const response = await openExport(server.url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-total-count']).toBe(String(USERS));

    const ids: string[] = [];
    // A few stretches of lines are kept, to compare with what yoga alone answers for those users.
    const kept = new Map<number, unknown>();
    const keep = (i: number) => i < 500 || (i >= 50_000 && i < 50_500) || i >= USERS - 500;
    let rest = '';
    let chunks = 0;
    const started = performance.now();
    try {
      await pipeline(
        response,
        new Writable({
          highWaterMark: 16 * 1024,
          write(chunk: Buffer, _encoding, done) {
            const lines = (rest + chunk.toString('utf8')).split('\n');
            rest = lines.pop()!;
            for (const line of lines) {
              const user = JSON.parse(line) as { id: string };
              if (keep(ids.length)) kept.set(ids.length, user);
              ids.push(user.id);
            }
            chunks += 1;
            // Slower than the server: a pause after every chunk.
            setTimeout(done, 2);
          },
        }),
      );
    } finally {
      clearInterval(rssSampler);
      clearInterval(heldSampler);
    }

    expect(rest).toBe(''); // the last line ended with a newline
    expect(ids).toEqual(expectedIds);
    const mib = (bytes: number) => `${Math.round(bytes / MiB)} MiB`;
    const heldGrowth = (heldPeak - before.heapUsed) / MiB;
    console.log(
      `export of ${USERS} users to a slow reader: ${chunks} chunks in ${Math.round(performance.now() - started)} ms; ` +
        `RSS ${mib(before.rss)} before, peak ${mib(rssPeak)} (+${mib(rssPeak - before.rss)}); ` +
        `heap held after collection ${mib(before.heapUsed)} before, peak ${mib(heldPeak)} (+${heldGrowth.toFixed(1)} MiB)`,
    );
    for (const start of [0, 50_000, USERS - 500]) {
      const stretch = ids.slice(start, start + 500);
      const response = await server.service.app.yoga.fetch('http://usergraph/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${READER_KEY}` },
        body: JSON.stringify({ query: `query ($ids: [ID!]!) { usersByIds(ids: $ids) { ${USER_FIELDS} } }`, variables: { ids: stretch } }),
      });
      const { data } = (await response.json()) as { data: { usersByIds: unknown[] } };
      expect(stretch.map((_, i) => kept.get(start + i))).toEqual(data.usersByIds);
    }
    // The answer is about 100 MB of JSON (200 MiB as JavaScript strings): holding it, or the
    // users' answers, would show here; a batch of 500 is well under 10 MiB.
    expect(heldGrowth).toBeLessThan(32);
  });

  it('stops producing when the reader goes away halfway', { timeout: 600_000 }, async ({ server }) => {
    const done = () => server.logs.filter((line) => line.msg === 'export done').length;
    const doneBefore = done();
    const response = await openExport(server.url);
    expect(response.statusCode).toBe(200);
    let lines = 0;
    await new Promise<void>((resolve) => {
      response.on('data', (chunk: Buffer) => {
        for (const byte of chunk) if (byte === 10) lines += 1;
        if (lines >= USERS / 2) {
          response.destroy(); // the reader hangs up
          resolve();
        }
      });
    });

    await sleepUntil(() => server.logs.some((line) => line.msg === 'export stopped: the client went away'), 30_000);
    const stopped = server.logs.find((line) => line.msg === 'export stopped: the client went away')!;
    console.log(`the reader left after ${lines} lines; the server had produced ${stopped.exported} of ${stopped.totalCount}`);
    expect(stopped.totalCount).toBe(USERS);
    expect(stopped.exported).toBeLessThan(USERS);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(done()).toBe(doneBefore);
  });

  it('reads one snapshot: a user changed while the export runs comes out as it was when it began', { timeout: 600_000 }, async ({ server, database }) => {
    // The last user in listing order: exported last, long after the change below.
    const last = [...server.directory.snapshot.all()].at(-1)!;
    const before = last.metadata;
    const response = await openExport(server.url);
    expect(response.statusCode).toBe(200);
    response.pause(); // the server waits on the reader from here on

    await setUserMetadata(database.db, last.id, { changedDuringExport: true });
    await sleepUntil(() => server.directory.snapshot.userNamedBy(last.id)?.metadata.changedDuringExport === true);

    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.resume();
    await new Promise((resolve) => response.once('end', resolve));
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(USERS);
    const exported = JSON.parse(lines.at(-1)!) as { id: string; metadata: unknown };
    expect(exported.id).toBe(last.id);
    expect(exported.metadata).toEqual(before);
    // A new export sees the change.
    const again = await openExport(server.url, '?orderBy=JOINED_ASC'); // the oldest first: that user
    let head = '';
    for await (const chunk of again) {
      head += String(chunk);
      if (head.includes('\n')) break; // leaving the loop hangs up
    }
    expect(JSON.parse(head.split('\n')[0]!)).toMatchObject({ id: last.id, metadata: { changedDuringExport: true } });
  });
});
