/**
 * `node --expose-gc --import tsx scripts/bench-directory.ts [users…]` (default 100000 1000000):
 * the directory alone, in memory, no database: synthetic users built as the load builds them
 * (compact DirectoryUsers, shared grants and tenant lists), then
 * - the heap (typed arrays' buffers included) the users hold, and what the snapshot's indexes add,
 *   per user (after collection);
 * - the time to build the snapshot in steps (as a load or a compaction does);
 * - for `users(…)` pages of filters and orders: the first listing (a filter no index decides alone
 *   is counted then, in one pass over the users; through the API that pass runs in steps), the
 *   median and worst of 30 next pages, and a next page on the snapshot a change of one user makes
 *   (it inherits what was found).
 * HEAP_ONLY=1 stops after the heap and the build.
 */
import { DirectoryUser, NO_GRANTS, type RoleGrants } from '../src/directory/directory-user.ts';
import type { User } from '../src/directory/user.ts';
import { UserSnapshot, type UserPageQuery } from '../src/directory/user-snapshot.ts';
import { seededRandom, seededUuid } from '../supertokens-standin/random.ts';

const sizes = process.argv.slice(2).map(Number);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx');

const T0 = Date.UTC(2020, 0, 1);
const YEAR = 365 * 24 * 3600 * 1000;
const PUBLIC = Object.freeze(['public']);
const BOTH = Object.freeze(['public', 't1']);

function grants(roles: string[], permissions: string[]): RoleGrants {
  return Object.freeze({
    roles: Object.freeze(roles),
    rolesByTenant: Object.freeze([Object.freeze({ tenantId: 'public', roles: Object.freeze(roles) })]),
    permissions: Object.freeze(permissions),
    permissionsByTenant: Object.freeze([Object.freeze({ tenantId: 'public', permissions: Object.freeze(permissions) })]),
  });
}
const ADMIN = grants(['admin'], ['users:read', 'users:write']);
const EDITOR = grants(['editor'], ['content:write', 'users:read']);
const FIRST = ['ada', 'grace', 'linus', 'alan', 'barbara', 'ken', 'margaret', 'dennis', 'frances', 'edsger'];
const DOMAINS = ['example.com', 'acme.io', 'mail.example.org', 'corp.test'];

/** A flat copy: strings from the database are flat, strings built by concatenation are not (and weigh more until flattened). */
const flat = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

/**
 * The recipes in the proportions of supertokens-standin/synthetic-users.ts (what the bench's
 * database holds): 60% email-password, 15% third-party, 10% passkeys, 15% passwordless (a third
 * of them phone-only); 70% active; 40% with metadata.
 */
export function syntheticUsers(count: number): User[] {
  const random = seededRandom(count);
  const users: User[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const id = flat(seededUuid(random));
    const roll = random();
    const first = FIRST[i % FIRST.length]!;
    const phoneOnly = roll > 0.95;
    const email = phoneOnly ? null : flat(`${first}.${i}@${DOMAINS[i % DOMAINS.length]}`);
    const pick = random();
    const fields = {
      id,
      supertokensUserId: id,
      isPrimaryUser: random() < 0.1,
      email,
      timeJoined: T0 + Math.floor(random() * 5 * YEAR),
      lastActive: random() < 0.7 ? T0 + Math.floor(random() * 6 * YEAR) : null,
      tenantIds: random() < 0.1 ? BOTH : PUBLIC,
      grants: pick < 0.02 ? ADMIN : pick < 0.2 ? EDITOR : NO_GRANTS,
      metadata: random() < 0.4 ? { first_name: first, plan: random() < 0.3 ? 'pro' : 'free' } : {},
    };
    users[i] = DirectoryUser.single(
      fields,
      roll < 0.6
        ? { recipeId: 'emailpassword', phoneNumber: null, thirdParty: null, verified: random() < 0.5 }
        : roll < 0.75
          ? { recipeId: 'thirdparty', phoneNumber: null, thirdParty: { id: 'google', userId: flat(`g-${i}`) }, verified: true }
          : roll < 0.85
            ? { recipeId: 'webauthn', phoneNumber: null, thirdParty: null, verified: random() < 0.5 }
            : { recipeId: 'passwordless', phoneNumber: phoneOnly || random() < 0.5 ? flat(`+1555${String(i).padStart(7, '0')}`) : null, thirdParty: null, verified: true },
    );
  }
  return users;
}

/** The heap, and the typed arrays' buffers (kept outside it). */
function heapUsed(): number {
  gc!();
  gc!();
  const { heapUsed: heap, arrayBuffers } = process.memoryUsage();
  return heap + arrayBuffers;
}

function time(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

const YEAR_AGO = T0 + 4 * YEAR;
const QUERIES: Array<[string, Partial<UserPageQuery>]> = [
  ['first: 50', {}],
  ['orderBy: LAST_ACTIVE_DESC', { orderBy: 'LAST_ACTIVE_DESC' }],
  ['orderBy: EMAIL_ASC', { orderBy: 'EMAIL_ASC' }],
  ['last: 50, orderBy: EMAIL_DESC', { orderBy: 'EMAIL_DESC', last: 50, first: undefined }],
  ['role: "editor"', { role: 'editor' }],
  ['role: "editor", orderBy: EMAIL_ASC', { role: 'editor', orderBy: 'EMAIL_ASC' }],
  ['tenantId: "t1", orderBy: LAST_ACTIVE_ASC', { tenantId: 't1', orderBy: 'LAST_ACTIVE_ASC' }],
  ['recipeId: "thirdparty"', { recipeId: 'thirdparty' }],
  ['search: "grace.1234" (few)', { search: 'grace.1234' }],
  ['search: "ada.1" (many)', { search: 'ada.1' }],
  ['search: "acme.io" (a domain)', { search: 'acme.io' }],
  ['metadata: plan = "pro"', { metadata: [{ path: ['plan'], equals: 'pro' }] }],
  ['metadata: plan = "pro", orderBy: LAST_ACTIVE_DESC', { metadata: [{ path: ['plan'], equals: 'pro' }], orderBy: 'LAST_ACTIVE_DESC' }],
  ['permission: "content:write"', { permission: 'content:write' }],
  ['verified: false', { verified: false }],
  ['joinedAfter: a year ago', { joinedAfter: YEAR_AGO }],
  ['joinedAfter: a year ago, orderBy: JOINED_ASC', { joinedAfter: YEAR_AGO, orderBy: 'JOINED_ASC' }],
  ['neverActive: true, orderBy: EMAIL_ASC', { neverActive: true, orderBy: 'EMAIL_ASC' }],
  ['role + metadata + isPrimaryUser, LAST_ACTIVE_DESC', { role: 'editor', metadata: [{ path: ['plan'], exists: true }], isPrimaryUser: false, orderBy: 'LAST_ACTIVE_DESC' }],
];

async function main() {
  for (const size of sizes.length > 0 ? sizes : [100_000, 1_000_000]) {
    const before = heapUsed();
    let users: User[] | undefined = syntheticUsers(size);
    const withUsers = heapUsed();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const snapshot = await UserSnapshot.build(users);
    const buildCpu = process.cpuUsage(cpu);
    const buildMs = performance.now() - started;
    const withSnapshot = heapUsed();
    users = undefined;
    const held = heapUsed();
    console.log(`\n${size.toLocaleString('en')} users`);
    console.log(
      `  heap: users ${((withUsers - before) / size).toFixed(0)} B/user; the snapshot's indexes ${((withSnapshot - withUsers) / size).toFixed(0)} B/user; ` +
        `held in all (users and snapshot) ${((held - before) / size).toFixed(0)} B/user`,
    );
    console.log(`  snapshot build (in steps): ${buildMs.toFixed(0)} ms, ${((buildCpu.user + buildCpu.system) / 1000).toFixed(0)} ms CPU`);
    if (process.env.HEAP_ONLY) continue;
    const rows: string[][] = [];
    const someone = snapshot.all()[Symbol.iterator]().next().value!;
    for (const [label, query] of QUERIES) {
      // The first listing of a filter passes over the users when a test is needed (in steps, through the API).
      const firstRun = time(() => snapshot.listUsers({ first: 50, ...query }));
      const firstPage = snapshot.listUsers({ first: 50, ...query });
      // Then a page in the middle: after the first page's last user (or before the last page's first).
      const cursor = query.last !== undefined ? { before: firstPage.users[0] } : { after: firstPage.users.at(-1) };
      const page = { first: 50, ...query, ...cursor };
      const times = Array.from({ length: 30 }, () => time(() => snapshot.listUsers(page))).sort((a, b) => a - b);
      // A change of one user: the snapshot it makes inherits what this one found.
      const changed = snapshot.withChanges({ upserts: [someone], deletedIds: [] });
      const afterChange = time(() => changed.listUsers(page));
      rows.push([label, firstPage.totalCount.toLocaleString('en'), firstRun.toFixed(2), times[15]!.toFixed(3), times.at(-1)!.toFixed(3), afterChange.toFixed(3)]);
    }
    console.log('  | query | totalCount | first listing, ms | next pages: median ms | max ms | next page after a change, ms |');
    console.log('  | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(`  | ${row.join(' | ')} |`);
  }
}

if (process.argv[1]?.endsWith("bench-directory.ts")) await main();
