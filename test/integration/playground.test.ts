/**
 * GraphiQL in a real browser (Debian's Chromium, driven by playwright-core), with every request
 * to anything but the service refused: the page loads from the service alone, opens on the
 * example query with the demo's admin key in its Headers tab, runs it, and shows the answer.
 *
 * Needs /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it). Without it the test
 * is skipped on a developer's machine and fails in CI (CI=true).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, print } from 'graphql';
import { chromium } from 'playwright-core';
import { expect } from 'vitest';
import { signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { EXAMPLE_QUERY } from '../../src/http/graphiql.ts';
import { test } from '../support/fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const DEMO_KEY = 'demo-playground-key-0123456789';
// What keeps Chromium from calling home (its own connections are refused on a closed network).
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const runs = existsSync(CHROMIUM) || process.env.CI === 'true';

test.skipIf(!runs)('GraphiQL works offline: example query, the demo key in Headers, an answer shown', async ({ database, startServer, onTestFinished }) => {
  await signUpEmailPassword(database.db, { email: 'playground@example.com' });
  const server = await startServer(database.url, { ADMIN_API_KEY: '', NODE_ENV: 'development' }, { demoAdminKey: DEMO_KEY });
  const profile = await mkdtemp(path.join(tmpdir(), 'usergraph-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  onTestFinished(async () => {
    await browser.close();
    await rm(profile, { recursive: true, force: true });
  });
  const refused: string[] = [];
  const sent: Array<{ authorization: string | undefined; body: string | null }> = [];
  await browser.route('**/*', async (route) => {
    const url = route.request().url();
    if (!url.startsWith(server.url)) {
      refused.push(url);
      return route.abort('blockedbyclient');
    }
    if (route.request().method() === 'POST') {
      sent.push({ authorization: route.request().headers().authorization, body: route.request().postData() });
    }
    return route.continue();
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(`${server.url}/graphql`);
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
  expect(await page.title()).toBe('usergraph');
  // The schema arrives by introspection; then run what the editor holds.
  await page.waitForTimeout(500);
  await page.locator('.graphiql-execute-button').click();
  // The editor renders spaces as no-break spaces: compare the text with its blanks made plain.
  const shown = async () => (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, ' ');
  await expect.poll(shown, { timeout: 20_000 }).toContain('"totalCount": 1,');
  expect(await shown()).toContain('"email": "playground@example.com"');
  expect(await shown()).toContain('"kind": "ADMIN"');

  // GraphiQL sends the editor's query minified: compare documents, not texts.
  const run = sent.find((request) => request.body !== null && !request.body.includes('IntrospectionQuery'));
  expect(run, JSON.stringify(sent)).toBeDefined();
  expect(run!.authorization).toBe(`Bearer ${DEMO_KEY}`);
  expect(print(parse(JSON.parse(run!.body!).query))).toBe(print(parse(EXAMPLE_QUERY)));
  expect(refused).toEqual([]);
  expect(errors).toEqual([]);
});
