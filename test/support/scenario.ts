/**
 * One app's worth of SuperTokens users, written the way core writes them (sign-ups of every recipe,
 * passkeys included, linking, tenant adds, id mappings, roles in two tenants, verified emails, a
 * phone-only user, orphan rows),
 * and the exact GraphQL answer for each user. The ids and times are fixed, so the same answer
 * holds in every app and every migration_mode the scenario is written to.
 */
import type { Kysely } from 'kysely';
import {
  addUserRole,
  addUserToTenant,
  createApp,
  createRole,
  createUserIdMapping,
  linkAccounts,
  makePrimaryUser,
  setLastActive,
  setUserMetadata,
  signUpEmailPassword,
  signUpPasswordless,
  signUpThirdParty,
  signUpWebAuthn,
  verifyEmail,
  type MigrationMode,
} from '../../supertokens-standin/writes.ts';

export const DAY = 24 * 3600 * 1000;
export const T0 = Date.UTC(2024, 0, 15, 9, 30, 0, 0);
export const iso = (ms: number) => new Date(ms).toISOString();

export const ID = {
  /** Ada: an email-password primary user with a third-party and a passwordless method linked. */
  adaEmailPassword: 'a0000000-0000-4000-8000-000000000001',
  adaThirdParty: 'a0000000-0000-4000-8000-000000000002',
  adaPasswordless: 'a0000000-0000-4000-8000-000000000003',
  /** A passwordless user with a phone number and no email. */
  phoneOnly: 'b0000000-0000-4000-8000-000000000001',
  /** Two unlinked users holding the same email. */
  sharedOlder: 'c0000000-0000-4000-8000-000000000001',
  sharedNewer: 'c0000000-0000-4000-8000-000000000002',
  /** A primary user and an older, unlinked user holding the same email. */
  bossUnlinkedOlder: 'd0000000-0000-4000-8000-000000000001',
  bossPrimary: 'd0000000-0000-4000-8000-000000000002',
  /** A user who signed up in tenant t1 only. */
  tenantOnly: 'e0000000-0000-4000-8000-000000000001',
  /** A WebAuthn (passkey) user, added to tenant t1 after signing up in public. */
  passkey: '90000000-0000-4000-8000-000000000001',
  /** Grace: an email-password primary user with a passkey linked to it, whose email is verified for the passkey. */
  graceEmailPassword: '91000000-0000-4000-8000-000000000001',
  gracePasskey: '91000000-0000-4000-8000-000000000002',
  /** An id with metadata, roles and activity but no user. */
  orphan: 'f0000000-0000-4000-8000-000000000001',
} as const;

export const EXTERNAL = { ada: 'ext-ada', adaPasswordless: 'ext-ada-pl' } as const;

/** Writes the scenario into one app (tenants public and t1), as core does in `mode` (core 12) or as core 11 does. */
export async function writeScenario(db: Kysely<any>, { appId = 'public', mode }: { appId?: string; mode?: MigrationMode } = {}) {
  const where = { appId, mode };
  await createApp(db, appId, ['public', 't1']);
  await createRole(db, 'admin', ['users:write', 'users:read'], appId);
  await createRole(db, 'editor', ['users:read', 'content:write'], appId);

  // Ada signs up with Google first, then with a password, then passwordless; the password
  // account becomes the primary user and the others are linked to it.
  await signUpThirdParty(db, { ...where, userId: ID.adaThirdParty, thirdPartyId: 'google', thirdPartyUserId: 'g-ada', email: 'ada@example.com', timeJoined: T0 });
  await signUpEmailPassword(db, { ...where, userId: ID.adaEmailPassword, email: 'ada@example.com', timeJoined: T0 + DAY });
  await signUpPasswordless(db, {
    ...where,
    userId: ID.adaPasswordless,
    email: 'ada.work@example.com',
    phoneNumber: '+15550000001',
    timeJoined: T0 + 2 * DAY,
  });
  await makePrimaryUser(db, ID.adaEmailPassword, where);
  await linkAccounts(db, ID.adaThirdParty, ID.adaEmailPassword, where);
  await linkAccounts(db, ID.adaPasswordless, ID.adaEmailPassword, where);
  await addUserToTenant(db, ID.adaThirdParty, 't1', where);
  await verifyEmail(db, ID.adaPasswordless, 'ada.work@example.com', appId); // before the mapping: moved to the external id
  await createUserIdMapping(db, ID.adaEmailPassword, EXTERNAL.ada, { appId });
  await createUserIdMapping(db, ID.adaPasswordless, EXTERNAL.adaPasswordless, { appId });
  await verifyEmail(db, ID.adaThirdParty, 'ada@example.com', appId);
  // The SDK files metadata and roles under the external id, activity under the SuperTokens id.
  await setUserMetadata(db, EXTERNAL.ada, { name: 'Ada', plan: 'pro' }, appId);
  await addUserRole(db, EXTERNAL.ada, 'admin', 'public', appId);
  await addUserRole(db, EXTERNAL.ada, 'editor', 't1', appId);
  await setLastActive(db, ID.adaEmailPassword, T0 + 10 * DAY, appId);
  // Rows under Ada's SuperTokens id, which the SDK never reads once she has an external id.
  await setUserMetadata(db, ID.adaEmailPassword, { stale: true }, appId);
  await addUserRole(db, ID.adaEmailPassword, 'ghost', 'public', appId);

  await signUpPasswordless(db, { ...where, userId: ID.phoneOnly, phoneNumber: '+15550000002', timeJoined: T0 + 3 * DAY });

  await signUpEmailPassword(db, { ...where, userId: ID.sharedOlder, email: 'shared@example.com', timeJoined: T0 + 4 * DAY });
  await signUpThirdParty(db, {
    ...where,
    userId: ID.sharedNewer,
    thirdPartyId: 'github',
    thirdPartyUserId: 'gh-1',
    email: 'shared@example.com',
    timeJoined: T0 + 5 * DAY,
  });

  await signUpPasswordless(db, { ...where, userId: ID.bossUnlinkedOlder, email: 'boss@example.com', timeJoined: T0 + 6 * DAY });
  await signUpEmailPassword(db, { ...where, userId: ID.bossPrimary, email: 'boss@example.com', timeJoined: T0 + 7 * DAY });
  await makePrimaryUser(db, ID.bossPrimary, where);
  await addUserRole(db, ID.bossPrimary, 'editor', 'public', appId);

  await signUpEmailPassword(db, { ...where, userId: ID.tenantOnly, email: 'tenant@example.com', timeJoined: T0 + 8 * DAY, tenantId: 't1' });

  await signUpWebAuthn(db, { ...where, userId: ID.passkey, email: 'pass.key@example.com', timeJoined: T0 + 9 * DAY });
  await addUserToTenant(db, ID.passkey, 't1', where);

  await signUpEmailPassword(db, { ...where, userId: ID.graceEmailPassword, email: 'grace@example.com', timeJoined: T0 + 10 * DAY });
  await signUpWebAuthn(db, { ...where, userId: ID.gracePasskey, email: 'grace@example.com', timeJoined: T0 + 11 * DAY });
  await makePrimaryUser(db, ID.graceEmailPassword, where);
  await linkAccounts(db, ID.gracePasskey, ID.graceEmailPassword, where);
  await verifyEmail(db, ID.gracePasskey, 'grace@example.com', appId);

  await setUserMetadata(db, ID.orphan, { ghost: true }, appId);
  await addUserRole(db, ID.orphan, 'admin', 'public', appId);
  await setLastActive(db, ID.orphan, T0, appId);
}

/** Every field of User, for exact answers. */
export const USER_FIELDS = `
  id supertokensUserId isPrimaryUser email emails phoneNumbers thirdParty { id userId }
  loginMethods { recipeId recipeUserId supertokensUserId email phoneNumber thirdParty { id userId } tenantIds timeJoined verified }
  tenantIds timeJoined lastActive roles rolesByTenant { tenantId roles } permissions metadata
`;

interface Method {
  recipeId: string;
  id: string;
  recipeUserId?: string;
  email?: string | null;
  phoneNumber?: string | null;
  thirdParty?: { id: string; userId: string } | null;
  tenantIds?: string[];
  timeJoined: number;
  verified?: boolean;
}

/** A login method's answer; by default unmapped, in tenant public, unverified, no phone or third party. */
export function method(m: Method) {
  return {
    recipeId: m.recipeId,
    recipeUserId: m.recipeUserId ?? m.id,
    supertokensUserId: m.id,
    email: m.email ?? null,
    phoneNumber: m.phoneNumber ?? null,
    thirdParty: m.thirdParty ?? null,
    tenantIds: m.tenantIds ?? ['public'],
    timeJoined: iso(m.timeJoined),
    verified: m.verified ?? false,
  };
}

/** A standalone user with one login method, no roles, metadata or activity. */
export function single(m: Method, more: Record<string, unknown> = {}) {
  const lm = method(m);
  return {
    id: lm.recipeUserId,
    supertokensUserId: m.id,
    isPrimaryUser: false,
    email: lm.email,
    emails: lm.email === null ? [] : [lm.email],
    phoneNumbers: lm.phoneNumber === null ? [] : [lm.phoneNumber],
    thirdParty: lm.thirdParty === null ? [] : [lm.thirdParty],
    loginMethods: [lm],
    tenantIds: lm.tenantIds,
    timeJoined: lm.timeJoined,
    lastActive: null,
    roles: [],
    rolesByTenant: [],
    permissions: [],
    metadata: {},
    ...more,
  };
}

/** The exact answer for each user of the scenario. */
export const EXPECTED = {
  ada: {
    id: EXTERNAL.ada,
    supertokensUserId: ID.adaEmailPassword,
    isPrimaryUser: true,
    // The earliest login method with an email is the Google one.
    email: 'ada@example.com',
    emails: ['ada.work@example.com', 'ada@example.com'],
    phoneNumbers: ['+15550000001'],
    thirdParty: [{ id: 'google', userId: 'g-ada' }],
    loginMethods: [
      method({
        recipeId: 'thirdparty',
        id: ID.adaThirdParty,
        email: 'ada@example.com',
        thirdParty: { id: 'google', userId: 'g-ada' },
        tenantIds: ['public', 't1'],
        timeJoined: T0,
        verified: true,
      }),
      method({ recipeId: 'emailpassword', id: ID.adaEmailPassword, recipeUserId: EXTERNAL.ada, email: 'ada@example.com', timeJoined: T0 + DAY }),
      method({
        recipeId: 'passwordless',
        id: ID.adaPasswordless,
        recipeUserId: EXTERNAL.adaPasswordless,
        email: 'ada.work@example.com',
        phoneNumber: '+15550000001',
        timeJoined: T0 + 2 * DAY,
        verified: true,
      }),
    ],
    tenantIds: ['public', 't1'],
    timeJoined: iso(T0),
    lastActive: iso(T0 + 10 * DAY),
    roles: ['admin', 'editor'],
    rolesByTenant: [
      { tenantId: 'public', roles: ['admin'] },
      { tenantId: 't1', roles: ['editor'] },
    ],
    permissions: ['content:write', 'users:read', 'users:write'],
    metadata: { name: 'Ada', plan: 'pro' },
  },
  phoneOnly: single({ recipeId: 'passwordless', id: ID.phoneOnly, phoneNumber: '+15550000002', timeJoined: T0 + 3 * DAY, verified: true }),
  sharedOlder: single({ recipeId: 'emailpassword', id: ID.sharedOlder, email: 'shared@example.com', timeJoined: T0 + 4 * DAY }),
  sharedNewer: single({
    recipeId: 'thirdparty',
    id: ID.sharedNewer,
    email: 'shared@example.com',
    thirdParty: { id: 'github', userId: 'gh-1' },
    timeJoined: T0 + 5 * DAY,
  }),
  bossUnlinkedOlder: single({ recipeId: 'passwordless', id: ID.bossUnlinkedOlder, email: 'boss@example.com', timeJoined: T0 + 6 * DAY }),
  bossPrimary: single(
    { recipeId: 'emailpassword', id: ID.bossPrimary, email: 'boss@example.com', timeJoined: T0 + 7 * DAY },
    {
      isPrimaryUser: true,
      roles: ['editor'],
      rolesByTenant: [{ tenantId: 'public', roles: ['editor'] }],
      permissions: ['content:write', 'users:read'],
    },
  ),
  tenantOnly: single({ recipeId: 'emailpassword', id: ID.tenantOnly, email: 'tenant@example.com', tenantIds: ['t1'], timeJoined: T0 + 8 * DAY }),
  passkey: single({ recipeId: 'webauthn', id: ID.passkey, email: 'pass.key@example.com', tenantIds: ['public', 't1'], timeJoined: T0 + 9 * DAY }),
  grace: single(
    { recipeId: 'emailpassword', id: ID.graceEmailPassword, email: 'grace@example.com', timeJoined: T0 + 10 * DAY },
    {
      isPrimaryUser: true,
      loginMethods: [
        method({ recipeId: 'emailpassword', id: ID.graceEmailPassword, email: 'grace@example.com', timeJoined: T0 + 10 * DAY }),
        method({ recipeId: 'webauthn', id: ID.gracePasskey, email: 'grace@example.com', timeJoined: T0 + 11 * DAY, verified: true }),
      ],
    },
  ),
};

/** Every user of the scenario, newest first: the listing order. */
export const LISTED = [
  EXPECTED.grace,
  EXPECTED.passkey,
  EXPECTED.tenantOnly,
  EXPECTED.bossPrimary,
  EXPECTED.bossUnlinkedOlder,
  EXPECTED.sharedNewer,
  EXPECTED.sharedOlder,
  EXPECTED.phoneOnly,
  EXPECTED.ada,
];
