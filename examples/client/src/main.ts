/**
 * `USERGRAPH_URL=http://localhost:4000/graphql USERGRAPH_TOKEN=<key> npx tsx examples/client/src/main.ts`:
 * who am I, the first page of admins, and the first of them by id; every value typed.
 */
import { createUsergraphClient } from './client.ts';
import { UserById, UsersPage, WhoAmI } from './operations.ts';

const client = createUsergraphClient({
  url: process.env.USERGRAPH_URL ?? 'http://localhost:4000/graphql',
  token: process.env.USERGRAPH_TOKEN ?? '',
});

const { viewer } = await client.request(WhoAmI);
console.log(`calling as ${viewer.kind}${viewer.isAdmin ? ' (admin)' : ''}`);

const { users } = await client.request(UsersPage, { first: 3, role: 'admin' });
console.log(`${users.totalCount} admins; the first ${users.nodes.length}:`);
for (const user of users.nodes) {
  // timeJoined is a string (DateTime), metadata a Record<string, unknown> (JSONObject).
  const name = [user.metadata?.first_name, user.metadata?.last_name].filter(Boolean).join(' ');
  console.log(`  ${user.id}  ${user.email ?? '(no email)'}  joined ${user.timeJoined.slice(0, 10)}  ${name}`);
}

const first = users.nodes[0];
if (first) {
  const { user } = await client.request(UserById, { id: first.id });
  console.log(`${user?.email}: ${user?.loginMethods?.map((method) => method.recipeId).join(', ')}`);
}
