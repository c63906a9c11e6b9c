/**
 * The bench's database: synthetic users written as SuperTokens core writes them, settled as a
 * production database would be (vacuumed and analysed), and the few functions PostGraphile needs
 * to ask what usergraph answers (its own schema, next to our migrations' objects).
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { seedSyntheticUsers } from '../../supertokens-standin/synthetic-users.ts';
import { timed } from './progress.ts';

/** The schema PostGraphile exposes next to `public` (where the view is). */
export const POSTGRAPHILE_SCHEMA = 'bench_postgraphile';

/** Resolves to the milliseconds it took. */
export async function seedUsers(db: Kysely<any>, users: number): Promise<number> {
  const start = performance.now();
  await timed(`seeding ${users.toLocaleString('en')} synthetic users`, () => seedSyntheticUsers(db, { count: users }));
  await timed('VACUUM ANALYZE', () => sql`VACUUM ANALYZE`.execute(db));
  return performance.now() - start;
}

/**
 * Parallel query off for the bench's database: a parallel worker is a short-lived process of its
 * own, which the per-backend CPU sampling (measure-cpu.ts) would miss. On two shared cores it
 * buys little anyway; every server reads the same database under the same setting.
 */
export async function disableParallelQuery(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(db);
  await sql`ALTER DATABASE ${sql.id(rows[0]!.name)} SET max_parallel_workers_per_gather = 0`.execute(db);
}

/**
 * What PostGraphile's schema lacks to answer like usergraph, as plain SQL functions over the view
 * (inlined by the planner): userByEmail with usergraph's choice among holders, users holding a
 * role in any tenant (newest first), and many ids at once through the migration's own id
 * resolution (the same statement usergraph's database lookups run). user(id) and users(first)
 * need none: PostGraphile's own allUserFullViews(condition, orderBy) answers them.
 */
export async function createPostGraphileFunctions(db: Kysely<any>): Promise<void> {
  const schema = sql.id(POSTGRAPHILE_SCHEMA);
  await sql`CREATE SCHEMA ${schema}`.execute(db);
  await sql`
    CREATE FUNCTION ${schema}.user_by_email(email text) RETURNS public.user_full_view
    LANGUAGE sql STABLE AS $$
      SELECT v.* FROM public.user_full_view v
      WHERE v.app_id = 'public'
        AND v.user_id = ANY (ARRAY(SELECT public.usergraph_user_ids_by_email('public', ARRAY[lower(btrim($1))])))
        AND EXISTS (SELECT 1 FROM json_array_elements(v.login_methods) m
                    WHERE m->>'email' = lower(btrim($1)) AND (m->'tenant_ids')::jsonb ? 'public')
      ORDER BY v.is_primary_user DESC, v.time_joined, COALESCE(v.external_user_id::text, v.user_id::text) COLLATE "C"
      LIMIT 1
    $$`.execute(db);
  await sql`
    CREATE FUNCTION ${schema}.users_with_role(role text) RETURNS SETOF public.user_full_view
    LANGUAGE sql STABLE AS $$
      SELECT v.* FROM public.user_full_view v
      WHERE v.app_id = 'public' AND $1 = ANY (v.roles)
      ORDER BY v.time_joined DESC, COALESCE(v.external_user_id::text, v.user_id::text) COLLATE "C" DESC
    $$`.execute(db);
  await sql`
    CREATE FUNCTION ${schema}.users_by_ids(ids text[]) RETURNS SETOF public.user_full_view
    LANGUAGE sql STABLE AS $$
      SELECT v.* FROM public.user_full_view v
      WHERE v.app_id = 'public' AND v.user_id = ANY (ARRAY(SELECT public.usergraph_user_ids_by_key('public', $1)))
    $$`.execute(db);
}

export interface PlainSelect {
  readonly ms: number;
  readonly rows: number;
}

/**
 * The floor of any startup load: the whole view through one cursor, rows as pg parses them, each
 * batch dropped at once (a million rows held at once would not fit the bench's heap).
 */
export async function timePlainSelect(databaseUrl: string): Promise<PlainSelect> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-plain-select' });
  await client.connect();
  try {
    const start = performance.now();
    const cursor = client.query(new Cursor(`SELECT * FROM user_full_view WHERE app_id = 'public'`));
    let rows = 0;
    for (let batch = await cursor.read(10_000); batch.length > 0; batch = await cursor.read(10_000)) rows += batch.length;
    await cursor.close();
    return { ms: performance.now() - start, rows };
  } finally {
    await client.end();
  }
}

export async function postgresVersion(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ version: string }>`SELECT current_setting('server_version') AS version`.execute(db);
  return rows[0]!.version;
}
