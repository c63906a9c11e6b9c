/**
 * The floor: the same users in plain Maps, served by node:http with no GraphQL at all. It loads
 * the view through usergraph's own repository (same rows, same domain users), closes its
 * database pool, and answers the bench's bodies by operationName with the JSON usergraph gives
 * for the same selection (see requests.ts). What is left is what serving from memory costs:
 * reading the body, JSON.parse, a lookup, JSON.stringify.
 *
 * A child process of the bench: DATABASE_URL, PORT and BENCH_KEY (the bearer key it accepts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connectDatabase } from '../../src/db/connect.ts';
import { createUserRepository } from '../../src/db/user-repository.ts';
import { chooseUserByEmail, compareNewestFirst, normalizeEmail, userKeys, type User } from '../../src/directory/user.ts';
import { createLogger } from '../../src/logger.ts';
import { ALIASES, PAGE_SIZE } from './requests.ts';

const env = process.env; // this program's own knobs, set by the bench
const authorization = `Bearer ${env.BENCH_KEY}`;

const byKey = new Map<string, User>();
const byEmail = new Map<string, User[]>();
const byRole = new Map<string, User[]>();
const newestFirst: User[] = [];

async function load(): Promise<void> {
  const db = connectDatabase({ url: env.DATABASE_URL!, poolSize: 1 });
  const repository = createUserRepository(db, { appId: 'public', batchSize: 5_000, logger: createLogger('warn') });
  for await (const users of repository.streamAllUsers()) newestFirst.push(...users);
  await db.destroy();
  newestFirst.sort(compareNewestFirst);
  for (const user of newestFirst) {
    for (const key of userKeys(user)) byKey.set(key, user);
    for (const email of user.emails) push(byEmail, normalizeEmail(email), user);
    for (const role of user.roles) push(byRole, role, user);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** usergraph's JSON for the bench's selection of a user. */
function shape(user: User | null | undefined) {
  if (!user) return null;
  return {
    id: user.id,
    supertokensUserId: user.supertokensUserId,
    email: user.email,
    timeJoined: new Date(user.timeJoined).toISOString(),
    lastActive: user.lastActive === null ? null : new Date(user.lastActive).toISOString(),
    roles: user.roles,
    metadata: user.metadata,
    loginMethods: user.loginMethods.map((method) => ({
      recipeId: method.recipeId,
      email: method.email,
      timeJoined: new Date(method.timeJoined).toISOString(),
      verified: method.verified,
      tenantIds: method.tenantIds,
    })),
  };
}

function page(users: readonly User[]) {
  return { totalCount: users.length, pageInfo: { hasNextPage: users.length > PAGE_SIZE }, nodes: users.slice(0, PAGE_SIZE).map(shape) };
}

type Variables = Record<string, string>;

const operations: Record<string, (variables: Variables) => unknown> = {
  UserById: ({ id }) => ({ user: shape(byKey.get(id!)) }),
  UserByEmail: ({ email }) => ({ userByEmail: shape(chooseUserByEmail(byEmail.get(normalizeEmail(email!)) ?? [], email!, 'public')) }),
  Users: () => ({ users: page(newestFirst) }),
  UsersByRole: ({ role }) => ({ users: page(byRole.get(role!) ?? []) }),
  UsersByIds: (variables) => {
    const data: Record<string, unknown> = {};
    for (let i = 0; i < ALIASES; i++) data[`u${i}`] = shape(byKey.get(variables[`id${i}`]!));
    return data;
  },
};

function answer(operation: { operationName?: string; variables?: Variables }) {
  const run = operations[operation.operationName ?? ''];
  return run ? { data: run(operation.variables ?? {}) } : { errors: [{ message: `unknown operation ${operation.operationName}` }] };
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.url === '/ready') return void response.end('ready');
  if (request.method !== 'POST' || request.url !== '/graphql') return void response.writeHead(404).end();
  if (request.headers.authorization !== authorization) return void response.writeHead(401).end();
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const result = Array.isArray(body) ? body.map(answer) : answer(body);
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result));
}

await load();
const server = createServer((request, response) => {
  handle(request, response).catch(() => response.writeHead(400).end());
});
server.listen(Number(env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
