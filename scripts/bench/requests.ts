/**
 * The request kinds the bench sends, as each server asks for them, and their answers reduced to
 * one canonical form so that the three servers can be compared. usergraph and the bare server
 * get the same bodies (the bare server dispatches on operationName and skips GraphQL);
 * PostGraphile gets the semantic equivalent in its own schema over user_full_view.
 */
import { seededRandom } from '../../supertokens-standin/random.ts';
import { syntheticUserId } from '../../supertokens-standin/synthetic-users.ts';

export type ServerName = 'usergraph' | 'bare' | 'postgraphile';
export const SERVER_NAMES: readonly ServerName[] = ['usergraph', 'bare', 'postgraphile'];

/** The query language a server speaks: the bare server answers usergraph's bodies. */
export type Dialect = 'usergraph' | 'postgraphile';
export const dialectOf = (server: ServerName): Dialect => (server === 'postgraphile' ? 'postgraphile' : 'usergraph');

export type KindKey = 'user' | 'userByEmail' | 'users' | 'usersByRole' | 'usersByIds';

/** Ids and emails of seeded users to rotate through. */
export interface Sample {
  readonly ids: readonly string[];
  readonly emails: readonly string[];
  readonly role: string;
  readonly idBatches: readonly (readonly string[])[];
}

/** The role users(role:) filters on: synthetic user i holds it (in tenant t1) when i % 7 = 0. */
export const ROLE = 'admin';
/** Ids per request of the usersByIds kind: BATCH_OPERATIONS operations of ALIASES aliases each. */
export const ALIASES = 20;
export const BATCH_OPERATIONS = 5;
export const PAGE_SIZE = 50;

export function pickSample(users: number, seed = 1): Sample {
  const random = seededRandom(seed);
  const pick = () => 1 + Math.floor(random() * users);
  // Distinct users for the single lookups: at least 1000 when there are that many.
  const distinct = Math.min(users, 10_000);
  const chosen = new Set<number>();
  while (chosen.size < distinct) chosen.add(pick());
  const indexes = [...chosen];
  return {
    ids: indexes.map(syntheticUserId),
    // Every twentieth synthetic user (i % 20 = 19) signed up with a phone number only.
    emails: indexes.filter((i) => i % 20 !== 19).map((i) => `user${i}@example.com`),
    role: ROLE,
    idBatches: Array.from({ length: 200 }, () => Array.from({ length: ALIASES * BATCH_OPERATIONS }, () => syntheticUserId(pick()))),
  };
}

/** A user as every server's answer is compared: times in epoch milliseconds. */
export interface CanonicalUser {
  readonly id: string;
  readonly supertokensUserId: string;
  readonly email: string | null;
  readonly timeJoined: number;
  readonly lastActive: number | null;
  readonly roles: readonly string[];
  readonly metadata: unknown;
  readonly loginMethods: ReadonlyArray<{
    readonly recipeId: string;
    readonly email: string | null;
    readonly timeJoined: number;
    readonly verified: boolean;
    readonly tenantIds: readonly string[];
  }>;
}

export interface CanonicalAnswer {
  readonly users: ReadonlyArray<CanonicalUser | null>;
  readonly totalCount?: number;
  readonly hasNextPage?: boolean;
}

export interface BenchRequest {
  /** The JSON body to POST to /graphql, per dialect. */
  readonly body: Readonly<Record<Dialect, string>>;
  canonical(dialect: Dialect, answer: unknown): CanonicalAnswer;
}

export interface RequestKind {
  readonly key: KindKey;
  readonly label: string;
  /** What the load rotates through. */
  requests(sample: Sample): BenchRequest[];
  /** How many of them the agreement check sends to every server. */
  readonly checked: number;
}

const USERGRAPH_USER = `fragment U on User {
  id supertokensUserId email timeJoined lastActive roles metadata
  loginMethods { recipeId email timeJoined verified tenantIds }
}`;

// Columns of user_full_view; id is the external id when there is one (see README).
const POSTGRAPHILE_USER = `fragment U on UserFullView {
  userId externalUserId email timeJoined lastActiveTime roles metadata loginMethods
}`;

const PAGE = `totalCount pageInfo { hasNextPage } nodes { ...U }`;

const ids = Array.from({ length: ALIASES }, (_, i) => i);
const USERGRAPH_BY_IDS = `query UsersByIds(${ids.map((i) => `$id${i}: ID!`).join(', ')}) {
  ${ids.map((i) => `u${i}: user(id: $id${i}) { ...U }`).join('\n  ')}
}
${USERGRAPH_USER}`;

export const REQUEST_KINDS: readonly RequestKind[] = [
  {
    key: 'user',
    label: 'user(id)',
    checked: 20,
    requests: (sample) =>
      sample.ids.map((id) =>
        request(
          operation('UserById', `query UserById($id: ID!) { user(id: $id) { ...U } }\n${USERGRAPH_USER}`, { id }),
          operation(
            'UserById',
            `query UserById($id: String!) {
              allUserFullViews(condition: { appId: "public", userId: $id }, first: 1) { nodes { ...U } }
            }\n${POSTGRAPHILE_USER}`,
            { id },
          ),
          (data) => ({ users: [usergraphUser(data.user)] }),
          (data) => ({ users: [postgraphileUser(data.allUserFullViews.nodes[0] ?? null)] }),
        ),
      ),
  },
  {
    key: 'userByEmail',
    label: 'userByEmail',
    checked: 20,
    requests: (sample) =>
      sample.emails.map((email) =>
        request(
          operation('UserByEmail', `query UserByEmail($email: String!) { userByEmail(email: $email) { ...U } }\n${USERGRAPH_USER}`, { email }),
          operation('UserByEmail', `query UserByEmail($email: String!) { userByEmail(email: $email) { ...U } }\n${POSTGRAPHILE_USER}`, { email }),
          (data) => ({ users: [usergraphUser(data.userByEmail)] }),
          (data) => ({ users: [postgraphileUser(data.userByEmail)] }),
        ),
      ),
  },
  {
    key: 'users',
    label: `users(first: ${PAGE_SIZE})`,
    checked: 1,
    requests: () => [
      request(
        operation('Users', `query Users { users(first: ${PAGE_SIZE}) { ${PAGE} } }\n${USERGRAPH_USER}`, {}),
        operation(
          'Users',
          `query Users {
            allUserFullViews(first: ${PAGE_SIZE}, condition: { appId: "public" }, orderBy: [TIME_JOINED_DESC, USER_ID_DESC]) { ${PAGE} }
          }\n${POSTGRAPHILE_USER}`,
          {},
        ),
        (data) => usergraphPage(data.users),
        (data) => postgraphilePage(data.allUserFullViews),
      ),
    ],
  },
  {
    key: 'usersByRole',
    label: `users(first: ${PAGE_SIZE}, role)`,
    checked: 1,
    requests: (sample) => [
      request(
        operation('UsersByRole', `query UsersByRole($role: String!) { users(first: ${PAGE_SIZE}, role: $role) { ${PAGE} } }\n${USERGRAPH_USER}`, {
          role: sample.role,
        }),
        operation(
          'UsersByRole',
          `query UsersByRole($role: String!) { usersWithRole(role: $role, first: ${PAGE_SIZE}) { ${PAGE} } }\n${POSTGRAPHILE_USER}`,
          { role: sample.role },
        ),
        (data) => usergraphPage(data.users),
        (data) => postgraphilePage(data.usersWithRole),
      ),
    ],
  },
  {
    key: 'usersByIds',
    label: `${ALIASES * BATCH_OPERATIONS} ids in one request`,
    checked: 3,
    requests: (sample) =>
      sample.idBatches.map((batch) => {
        const chunks = Array.from({ length: BATCH_OPERATIONS }, (_, op) => batch.slice(op * ALIASES, (op + 1) * ALIASES));
        return {
          body: {
            // usergraph allows MAX_ALIASES (20) aliases per operation and MAX_BATCH (10) operations per request.
            usergraph: JSON.stringify(
              chunks.map((chunk) => ({
                operationName: 'UsersByIds',
                query: USERGRAPH_BY_IDS,
                variables: Object.fromEntries(chunk.map((id, i) => [`id${i}`, id])),
              })),
            ),
            // PostGraphile: one function over the same id resolution as usergraph's database lookups.
            postgraphile: JSON.stringify({
              operationName: 'UsersByIds',
              query: `query UsersByIds($ids: [String]!) { usersByIds(ids: $ids) { nodes { ...U } } }\n${POSTGRAPHILE_USER}`,
              variables: { ids: batch },
            }),
          },
          canonical(dialect, answer) {
            if (dialect === 'usergraph') {
              const operations = answer as unknown[];
              if (!Array.isArray(operations) || operations.length !== BATCH_OPERATIONS) throw new Error(`expected ${BATCH_OPERATIONS} answers: ${brief(answer)}`);
              return { users: operations.flatMap((one) => ids.map((i) => usergraphUser(dataOf(one)[`u${i}`]))) };
            }
            const found = new Map<string, CanonicalUser>();
            for (const node of dataOf(answer).usersByIds.nodes) {
              const user = postgraphileUser(node)!;
              found.set(user.supertokensUserId, user);
            }
            return { users: batch.map((id) => found.get(id) ?? null) };
          },
        };
      }),
  },
];

/**
 * Listings only usergraph answers from memory, measured on it alone (neither baseline has them):
 * a search box (rotating prefixes, each a pass over every user the first time a snapshot meets
 * it), an order by last activity, a metadata condition.
 */
export interface OwnListing {
  readonly label: string;
  readonly bodies: readonly string[];
}

export const OWN_LISTINGS: readonly OwnListing[] = [
  {
    label: `users(first: ${PAGE_SIZE}, search)`,
    // user1@example.com … user20@example.com, and every user whose number begins with those digits.
    bodies: Array.from({ length: 20 }, (_, i) =>
      operation('UsersSearch', `query UsersSearch($search: String!) { users(first: ${PAGE_SIZE}, search: $search) { ${PAGE} } }\n${USERGRAPH_USER}`, {
        search: `user${i + 1}`,
      }),
    ),
  },
  {
    label: `users(first: ${PAGE_SIZE}, orderBy: LAST_ACTIVE_DESC)`,
    bodies: [operation('UsersByActivity', `query UsersByActivity { users(first: ${PAGE_SIZE}, orderBy: LAST_ACTIVE_DESC) { ${PAGE} } }\n${USERGRAPH_USER}`, {})],
  },
  {
    label: `users(first: ${PAGE_SIZE}, metadata)`,
    bodies: [
      operation(
        'UsersByMetadata',
        `query UsersByMetadata { users(first: ${PAGE_SIZE}, metadata: [{ path: ["preferences", "theme"], equals: "dark" }]) { ${PAGE} } }\n${USERGRAPH_USER}`,
        {},
      ),
    ],
  },
];

function operation(operationName: string, query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ operationName, query, variables });
}

type Data = Record<string, any>;

function request(
  usergraph: string,
  postgraphile: string,
  fromUsergraph: (data: Data) => CanonicalAnswer,
  fromPostgraphile: (data: Data) => CanonicalAnswer,
): BenchRequest {
  return {
    body: { usergraph, postgraphile },
    canonical: (dialect, answer) => (dialect === 'usergraph' ? fromUsergraph : fromPostgraphile)(dataOf(answer)),
  };
}

/** The data of an answer without errors; throws with the errors otherwise. */
function dataOf(answer: unknown): Data {
  const { data, errors } = (answer ?? {}) as { data?: Data | null; errors?: unknown[] };
  if (errors?.length || !data) throw new Error(`the server answered with errors: ${brief(answer)}`);
  return data;
}

function brief(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

function usergraphUser(user: Data | null): CanonicalUser | null {
  if (user === null || user === undefined) return null;
  return {
    id: user.id,
    supertokensUserId: user.supertokensUserId,
    email: user.email,
    timeJoined: Date.parse(user.timeJoined),
    lastActive: user.lastActive === null ? null : Date.parse(user.lastActive),
    roles: user.roles,
    metadata: user.metadata,
    loginMethods: user.loginMethods.map((method: Data) => ({
      recipeId: method.recipeId,
      email: method.email,
      timeJoined: Date.parse(method.timeJoined),
      verified: method.verified,
      tenantIds: method.tenantIds,
    })),
  };
}

function postgraphileUser(row: Data | null): CanonicalUser | null {
  if (row === null || row === undefined) return null;
  return {
    id: row.externalUserId ?? row.userId,
    supertokensUserId: row.userId,
    email: row.email,
    timeJoined: Number(row.timeJoined),
    lastActive: row.lastActiveTime === null ? null : Number(row.lastActiveTime),
    roles: row.roles,
    metadata: row.metadata,
    loginMethods: row.loginMethods.map((method: Data) => ({
      recipeId: method.recipe_id,
      email: method.email,
      timeJoined: Number(method.time_joined),
      verified: method.verified,
      tenantIds: method.tenant_ids,
    })),
  };
}

function usergraphPage(page: Data): CanonicalAnswer {
  return { totalCount: page.totalCount, hasNextPage: page.pageInfo.hasNextPage, users: page.nodes.map(usergraphUser) };
}

function postgraphilePage(page: Data): CanonicalAnswer {
  return { totalCount: page.totalCount, hasNextPage: page.pageInfo.hasNextPage, users: page.nodes.map(postgraphileUser) };
}
