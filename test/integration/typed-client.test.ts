/**
 * The typed client in examples/client: its generated types are what GraphQL Code Generator makes
 * of the committed schema.graphql now, and its operations run against the live service with the
 * scalars as typed (DateTime a string, metadata an object).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { createUsergraphClient, UsergraphError } from '../../examples/client/src/client.ts';
import { UserById, UsersPage, WhoAmI } from '../../examples/client/src/operations.ts';
import { addUserRole, createRole, setUserMetadata, signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { READER_KEY } from '../support/server.ts';

const ROOT = new URL('../../', import.meta.url);
const GENERATED = 'examples/client/src/gql/';

const it = test.extend('seed', { scope: 'file' }, async ({ database }) => {
  const id = await signUpEmailPassword(database.db, { email: 'typed@example.com', timeJoined: Date.UTC(2024, 0, 15, 9, 30) });
  await setUserMetadata(database.db, id, { first_name: 'Ada', plan: { tier: 'pro' } });
  await createRole(database.db, 'admin');
  await addUserRole(database.db, id, 'admin');
  return { id };
});

describe('examples/client', () => {
  it('holds what codegen generates from schema.graphql now (npm run codegen)', async () => {
    // The command itself (as npm run codegen runs it), writing into a scratch folder.
    const scratch = await mkdtemp(path.join(tmpdir(), 'usergraph-codegen-'));
    try {
      const config = path.join(scratch, 'codegen.ts');
      await writeFile(
        config,
        `import config from ${JSON.stringify(fileURLToPath(new URL('examples/client/codegen.ts', ROOT)))};\n` +
          `export default { ...config, generates: { ${JSON.stringify(`${scratch}/gql/`)}: config.generates[${JSON.stringify(GENERATED)}] } };\n`,
      );
      const run = spawnSync(path.join(fileURLToPath(ROOT), 'node_modules/.bin/graphql-codegen'), ['--config', config, '--silent'], {
        cwd: fileURLToPath(ROOT),
        encoding: 'utf8',
      });
      expect(run.status, run.stderr + run.stdout).toBe(0);
      const generated = await readdir(path.join(scratch, 'gql'));
      expect(generated.sort()).toEqual((await readdir(new URL(GENERATED, ROOT))).sort());
      for (const file of generated) {
        const committed = readFileSync(new URL(`${GENERATED}${file}`, ROOT), 'utf8');
        expect(committed, `${GENERATED}${file} is stale: run npm run codegen`).toBe(readFileSync(path.join(scratch, 'gql', file), 'utf8'));
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('runs its typed operations against the service', async ({ server, seeded }) => {
    const { id } = seeded as { id: string };
    const client = createUsergraphClient({ url: `${server.url}/graphql`, token: READER_KEY });

    const { viewer } = await client.request(WhoAmI);
    expect({ ...viewer, permissions: [...viewer.permissions].sort() }).toEqual({ kind: 'SERVICE', isAdmin: false, permissions: ['users:pii', 'users:read'] });

    const { users } = await client.request(UsersPage, { first: 2, role: 'admin' });
    expect(users.totalCount).toBe(1);
    const [ada] = users.nodes;
    // The generated types say string and Record<string, unknown>: so are the values.
    const joined: string = ada!.timeJoined;
    expect(joined).toBe('2024-01-15T09:30:00.000Z');
    const metadata: Record<string, unknown> | null | undefined = ada!.metadata;
    expect(metadata).toEqual({ first_name: 'Ada', plan: { tier: 'pro' } });

    const { user } = await client.request(UserById, { id });
    expect(user).toEqual({
      id,
      email: 'typed@example.com',
      timeJoined: '2024-01-15T09:30:00.000Z',
      metadata: { first_name: 'Ada', plan: { tier: 'pro' } },
      loginMethods: [{ recipeId: 'emailpassword', email: 'typed@example.com', verified: false }],
    });
  });

  it('throws the errors it is answered with, codes included', async ({ server }) => {
    const anonymous = createUsergraphClient({ url: `${server.url}/graphql`, token: 'not-a-known-key-0123456789' });
    await expect(anonymous.request(WhoAmI)).rejects.toThrow(UsergraphError);
    await expect(anonymous.request(WhoAmI)).rejects.toThrow(/UNAUTHENTICATED/);
  });
});
