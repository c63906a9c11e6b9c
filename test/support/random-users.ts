/**
 * Random users of every shape the listing reads, for tests that compare the directory with a
 * reference (listing-reference.ts): linked login methods of every recipe, emails shared or
 * missing or in capitals, phone numbers, providers, external ids, roles in tenants, verified or
 * not, activity or none, metadata of several shapes; few distinct times, so that ties are common.
 * Half are the directory's compact DirectoryUser, half plain objects (as tests build them).
 */
import { DirectoryUser, type RoleGrants } from '../../src/directory/directory-user.ts';
import type { LoginMethod, User } from '../../src/directory/user.ts';
import type { ListedUser } from './listing-reference.ts';

export const ROLES = ['admin', 'editor', 'viewer'];
export const TENANTS = ['public', 't1', 't2'];
export const RECIPES = ['emailpassword', 'thirdparty', 'passwordless', 'webauthn'];
const PERMISSIONS: Record<string, string[]> = { admin: ['users:read', 'users:write'], editor: ['content:write', 'users:read'], viewer: ['content:read'] };
export const PERMISSION_NAMES = ['users:read', 'users:write', 'content:write', 'content:read'];
const NAMES = ['ada', 'bob', 'Cy', 'dora', 'ada.work'];
const DOMAINS = ['example.com', 'Acme.io', 'mail.example.org'];
const PROVIDERS = ['google', 'github', 'Okta'];
export const METADATA_SHAPES: ReadonlyArray<Record<string, unknown>> = [
  {},
  { plan: 'pro' },
  { plan: 'free', seats: 3 },
  { plan: null },
  { plan: 'pro', address: { city: 'Paris', zip: '75001' } },
  { address: { city: 'Oslo' }, tags: ['a', 'b'] },
  { tags: ['b', 'a'], seats: 3.0 },
  { nested: { deeper: { value: true } } },
];

const sortedDistinct = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export function randomUser(random: () => number, n: number): User {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const supertokensUserId = `u${n}`;
  const id = random() < 0.2 ? `Ext-${n}` : supertokensUserId;
  const methodCount = random() < 0.75 ? 1 : random() < 0.7 ? 2 : 3;
  const methods: LoginMethod[] = [];
  for (let m = 0; m < methodCount; m++) {
    const recipeId = pick(RECIPES);
    const own = m === 0;
    const methodId = own ? supertokensUserId : `u${n}-m${m}`;
    const phone = recipeId === 'passwordless' && random() < 0.6 ? `+1555${String(Math.floor(random() * 1000)).padStart(3, '0')}` : null;
    const email = phone !== null && random() < 0.5 ? null : random() < 0.08 ? null : `${pick(NAMES)}${random() < 0.5 ? '' : n}@${pick(DOMAINS)}`;
    methods.push({
      recipeId,
      recipeUserId: own ? id : methodId,
      supertokensUserId: methodId,
      email,
      phoneNumber: phone,
      thirdParty: recipeId === 'thirdparty' ? { id: pick(PROVIDERS), userId: `G-${Math.floor(random() * 50)}` } : null,
      tenantIds: sortedDistinct(TENANTS.filter(() => random() < 0.4).concat(random() < 0.8 ? ['public'] : [pick(TENANTS)])),
      timeJoined: 1_000 + Math.floor(random() * 30) * 10,
      verified: email === null || random() < 0.5,
    });
  }
  methods.sort((a, b) => a.timeJoined - b.timeJoined || (a.supertokensUserId < b.supertokensUserId ? -1 : 1));
  const tenantIds = sortedDistinct(methods.flatMap((method) => method.tenantIds));
  const rolesByTenant = tenantIds
    .map((tenantId) => ({ tenantId, roles: sortedDistinct(ROLES.filter(() => random() < 0.25)) }))
    .filter((entry) => entry.roles.length > 0);
  const permissionsByTenant = rolesByTenant.map(({ tenantId, roles }) => ({ tenantId, permissions: sortedDistinct(roles.flatMap((role) => PERMISSIONS[role]!)) }));
  const grants: RoleGrants = {
    roles: sortedDistinct(rolesByTenant.flatMap((entry) => entry.roles)),
    rolesByTenant,
    permissions: sortedDistinct(permissionsByTenant.flatMap((entry) => entry.permissions)),
    permissionsByTenant,
  };
  const fields = {
    id,
    supertokensUserId,
    isPrimaryUser: methods.length > 1 || random() < 0.2,
    email: methods.find((method) => method.email !== null)?.email ?? null,
    timeJoined: Math.min(...methods.map((method) => method.timeJoined)),
    lastActive: random() < 0.4 ? null : 1_000 + Math.floor(random() * 30) * 10,
    tenantIds,
    grants,
    metadata: pick(METADATA_SHAPES),
  };
  const ownOnly = methods.length === 1 && methods[0]!.supertokensUserId === supertokensUserId;
  if (random() < 0.5) {
    return ownOnly
      ? DirectoryUser.single({ ...fields, tenantIds: methods[0]!.tenantIds, timeJoined: methods[0]!.timeJoined }, methods[0]!)
      : DirectoryUser.linked(fields, methods);
  }
  return {
    id,
    supertokensUserId,
    isPrimaryUser: fields.isPrimaryUser,
    email: fields.email,
    emails: sortedDistinct(methods.flatMap((method) => (method.email === null ? [] : [method.email]))),
    phoneNumbers: sortedDistinct(methods.flatMap((method) => (method.phoneNumber === null ? [] : [method.phoneNumber]))),
    thirdParty: methods.flatMap((method) => (method.thirdParty ? [method.thirdParty] : [])).sort((a, b) => (a.id + a.userId < b.id + b.userId ? -1 : 1)),
    loginMethods: methods,
    tenantIds,
    timeJoined: fields.timeJoined,
    lastActive: fields.lastActive,
    ...grants,
    metadata: fields.metadata,
    version: `${supertokensUserId}-${random()}`,
  };
}

/** Search terms: prefixes of emails and domains (in capitals too), phones with and without "+", providers, ids, and nothing. */
export const SEARCH_TERMS = ['ada', 'ADA.W', 'bob', 'cy', 'example', '@acme', 'acme.io', 'mail.', '+1555', '1555', '+15550', 'goo', 'okta', 'g-1', 'u1', 'U12', 'ext-3', 'u7-m1', 'zzz', '@', 'dora1'];

/** A random filter: each condition present or not, with values that match some, all or none. */
export function randomFilter(random: () => number) {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const maybe = (p: number) => random() < p;
  const time = () => 1_000 + Math.floor(random() * 32) * 10 - 10;
  const filter: Record<string, unknown> = {};
  if (maybe(0.2)) filter.search = pick(SEARCH_TERMS);
  if (maybe(0.2)) filter.role = pick([...ROLES, 'nobody']);
  if (maybe(0.15)) filter.permission = pick([...PERMISSION_NAMES, 'nothing']);
  if (maybe(0.2)) filter.tenantId = pick([...TENANTS, 'nowhere']);
  if (maybe(0.2)) filter.recipeId = pick([...RECIPES, 'other']);
  if (maybe(0.15)) filter.verified = maybe(0.5);
  if (maybe(0.15)) filter.isPrimaryUser = maybe(0.5);
  if (maybe(0.15)) filter.joinedAfter = time();
  if (maybe(0.15)) filter.joinedBefore = time();
  if (maybe(0.15)) filter.activeAfter = time();
  if (maybe(0.15)) filter.activeBefore = time();
  if (maybe(0.1)) filter.neverActive = maybe(0.5);
  if (maybe(0.2)) {
    filter.metadata = Array.from({ length: maybe(0.7) ? 1 : 2 }, () =>
      pick([
        { path: ['plan'], equals: 'pro' },
        { path: ['plan'], equals: null },
        { path: ['plan'], exists: true },
        { path: ['plan'], exists: false },
        { path: ['seats'], equals: 3 },
        { path: ['address', 'city'], equals: 'Paris' },
        { path: ['address'], equals: { zip: '75001', city: 'Paris' } },
        { path: ['tags'], equals: ['a', 'b'] },
        { path: ['address', 'city'], exists: true },
        { path: ['nested', 'deeper', 'value'], equals: true },
        { path: ['plan', 'x'], exists: false },
      ]),
    );
  }
  return filter;
}

/** A User as the reference reads it. */
export const listed = (user: User): ListedUser => user;
