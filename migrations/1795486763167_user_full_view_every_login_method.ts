/**
 * user_full_view, rebuilt to show every SuperTokens user the way SuperTokens' own getUser does:
 * one row per (app, user), where a user is a primary user with all its linked login methods
 * (email-password, third-party, passwordless), on whichever table layout this database has:
 *
 * - multitenant (core 7 to 12): users are the groups of app_id_to_user_id rows sharing a
 *   primary_or_recipe_user_id; a login method's tenants come from core 12's recipe_user_tenants
 *   when that recipe user has rows there, else from all_auth_recipe_users (so every
 *   migration_mode reads the same);
 * - legacy (core 3 to 5, before multi-tenancy): no app_id or tenant_id columns, no linking;
 *   every recipe user is a user of app 'public', in tenant 'public'.
 *
 * Both produce the same columns. Next to the view, two functions resolve any id that names a
 * user (its SuperTokens id, its external id, any of its recipe user ids, and their external ids)
 * or any email of its login methods to the SuperTokens ids the view is keyed by, through indexed
 * base tables, so that a lookup never evaluates the whole view.
 *
 * Tables that a given core version lacks are read as empty. Indexes these reads need and older
 * cores lack are created under core's own name (so core's IF NOT EXISTS skips them) and marked, so
 * that `down` removes only what this migration made. `down` restores the previous view.
 *
 * Built for the tables present when it runs: after upgrading SuperTokens across a layout change
 * (to multi-tenancy, or to core 12), run `down` and `up` again.
 *
 * Frozen in time: this file imports nothing from src/.
 */
import { sql, type Kysely } from 'kysely';

const MIGRATION = '1795486763167_user_full_view_every_login_method';
const MARK = `created by usergraph: ${MIGRATION}`;

type Layout = 'multitenant' | 'legacy';

export async function up(db: Kysely<any>): Promise<void> {
  const layout = await detectLayout(db);
  const has = await existingTables(db, OPTIONAL_TABLES[layout]);
  const names = await qualifiedNames(db, [...TABLES[layout]].filter((table) => !OPTIONAL_TABLES[layout].includes(table) || has.has(table)));
  // A table to read from, schema-qualified; an empty relation in its place when this core does not have it.
  const rel = (table: string) => names.get(table) ?? `(${EMPTY[layout][table]})`;

  if (layout === 'multitenant' && !(await hasColumn(db, 'app_id_to_user_id', 'primary_or_recipe_user_id'))) {
    throw new Error(
      'app_id_to_user_id has no primary_or_recipe_user_id: SuperTokens core 6 (before account linking) is not supported; upgrade core to 7 or later',
    );
  }
  if (layout === 'legacy') await createJsonObjectFunction(db); // the first migration leaves legacy databases alone

  for (const index of INDEXES[layout]) {
    if (OPTIONAL_TABLES[layout].includes(index.table) && !has.has(index.table)) continue;
    await ensureIndex(db, index);
  }

  await sql`DROP VIEW IF EXISTS user_full_view`.execute(db);
  const statements = layout === 'multitenant' ? multitenantSql(rel) : legacySql(rel);
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const layout = await detectLayout(db);
  await sql`DROP VIEW IF EXISTS user_full_view`.execute(db);
  await sql`DROP FUNCTION IF EXISTS usergraph_user_ids_by_key(varchar, text[])`.execute(db);
  await sql`DROP FUNCTION IF EXISTS usergraph_user_ids_by_email(varchar, text[])`.execute(db);
  await sql`
    DO $$
    DECLARE
      made record;
    BEGIN
      FOR made IN
        SELECT c.oid::regclass AS name FROM pg_class c
        WHERE c.relkind = 'i' AND obj_description(c.oid, 'pg_class') = ${sql.lit(MARK)}
          AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
      LOOP
        EXECUTE format('DROP INDEX %s', made.name);
      END LOOP;
    END
    $$
  `.execute(db);
  if (layout === 'legacy') {
    await sql`DROP FUNCTION IF EXISTS usergraph_json_object_or_null(text)`.execute(db);
  } else {
    await sql.raw(PREVIOUS_VIEW).execute(db);
  }
}

/** Pre-multitenancy tables have no app_id: emailpassword_users is the one table every core has. */
async function detectLayout(db: Kysely<any>): Promise<Layout> {
  const { rows } = await sql<{ table: boolean }>`SELECT to_regclass('emailpassword_users') IS NOT NULL AS table`.execute(db);
  if (!rows[0]?.table) {
    throw new Error('no SuperTokens tables here (emailpassword_users is missing): start SuperTokens core on this database first');
  }
  return (await hasColumn(db, 'emailpassword_users', 'app_id')) ? 'multitenant' : 'legacy';
}

async function hasColumn(db: Kysely<any>, table: string, column: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM pg_attribute
      WHERE attrelid = to_regclass(${table}) AND attname = ${column} AND attnum > 0 AND NOT attisdropped
    ) AS found
  `.execute(db);
  return rows[0]?.found ?? false;
}

/** Each table's name qualified with the schema it resolves to now. */
async function qualifiedNames(db: Kysely<any>, tables: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const table of tables) {
    const { rows } = await sql<{ name: string | null }>`
      SELECT format('%I.%I', n.nspname, c.relname) AS name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(${table})
    `.execute(db);
    const name = rows[0]?.name;
    if (!name) throw new Error(`SuperTokens table ${table} is missing`);
    names.set(table, name);
  }
  return names;
}

async function existingTables(db: Kysely<any>, tables: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const table of tables) {
    const { rows } = await sql<{ found: boolean }>`SELECT to_regclass(${table}) IS NOT NULL AS found`.execute(db);
    if (rows[0]?.found) found.add(table);
  }
  return found;
}

/** The first migration's function, for databases it did not run on (the legacy layout). */
async function createJsonObjectFunction(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION usergraph_json_object_or_null(raw text) RETURNS jsonb
    -- PARALLEL UNSAFE: the EXCEPTION block is a subtransaction, which a parallel plan refuses
    -- ("cannot start subtransactions during a parallel operation"): no parallel plan may call it.
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
    DECLARE
      parsed jsonb;
    BEGIN
      parsed := raw::jsonb;
      IF jsonb_typeof(parsed) = 'object' THEN
        RETURN parsed;
      END IF;
      RETURN NULL;
    EXCEPTION
      WHEN data_exception OR program_limit_exceeded THEN
        RETURN NULL;
    END
    $$
  `.execute(db);
}

interface IndexNeed {
  readonly table: string;
  /** The leading columns (in any order) an existing btree index must have to serve the lookup. */
  readonly columns: readonly string[];
  /** What core itself calls the index; ours gets this name. */
  readonly name: string;
}

/** Lookups the view and the functions make, and what core names the index that serves each. */
const INDEXES: Record<Layout, readonly IndexNeed[]> = {
  multitenant: [
    // a user's login methods (5.0.4+)
    { table: 'app_id_to_user_id', columns: ['primary_or_recipe_user_id', 'app_id'], name: 'app_id_to_user_id_primary_user_id_index' },
    // a login method's tenants
    { table: 'all_auth_recipe_users', columns: ['app_id', 'user_id'], name: 'all_auth_recipe_user_id_index' },
    // lookups by email (8.0.1+)
    { table: 'emailpassword_users', columns: ['app_id', 'email'], name: 'emailpassword_users_email_index' },
    { table: 'thirdparty_users', columns: ['app_id', 'email'], name: 'thirdparty_users_email_index' },
    { table: 'passwordless_users', columns: ['app_id', 'email'], name: 'passwordless_users_email_index' },
    { table: 'recipe_user_tenants', columns: ['app_id', 'recipe_user_id'], name: 'idx_recipe_user_tenants_recipe_user_id' },
  ],
  legacy: [{ table: 'thirdparty_users', columns: ['email'], name: 'thirdparty_users_email_index' }],
};

/** Creates the index unless some valid, plain btree index already leads with these columns. */
async function ensureIndex(db: Kysely<any>, { table, columns, name }: IndexNeed): Promise<void> {
  const leading = columns.map((_, i) => sql`pg_get_indexdef(i.indexrelid, ${i + 1}, true)`);
  const { rows } = await sql<{ found: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
      WHERE i.indrelid = to_regclass(${table}) AND i.indisvalid AND i.indpred IS NULL AND am.amname = 'btree'
        AND i.indnkeyatts >= ${columns.length}
        AND (SELECT array_agg(col ORDER BY col) FROM unnest(ARRAY[${sql.join(leading)}]) col)
          = (SELECT array_agg(col ORDER BY col) FROM unnest(${[...columns]}::text[]) col)
    ) AS found
  `.execute(db);
  if (rows[0]?.found) return;
  if ((await sql<{ taken: boolean }>`SELECT to_regclass(${name}) IS NOT NULL AS taken`.execute(db)).rows[0]?.taken) {
    throw new Error(`an index named ${name} exists but does not lead with (${columns.join(', ')}); usergraph cannot create its own`);
  }
  await sql`CREATE INDEX ${sql.id(name)} ON ${sql.id(table)} (${sql.join(columns.map((column) => sql.id(column)))})`.execute(db);
  await sql`COMMENT ON INDEX ${sql.id(name)} IS ${sql.lit(MARK)}`.execute(db);
}

/** Every table each layout's view and functions read. */
const TABLES: Record<Layout, readonly string[]> = {
  multitenant: [
    'app_id_to_user_id',
    'all_auth_recipe_users',
    'emailpassword_users',
    'thirdparty_users',
    'passwordless_users',
    'recipe_user_tenants',
    'userid_mapping',
    'emailverification_verified_emails',
    'user_metadata',
    'user_roles',
    'role_permissions',
    'user_last_active',
  ],
  legacy: [
    'emailpassword_users',
    'thirdparty_users',
    'passwordless_users',
    'userid_mapping',
    'emailverification_verified_emails',
    'user_metadata',
    'user_roles',
    'role_permissions',
    'user_last_active',
  ],
};

/** Read as empty when absent: their DDL depends on the core version. */
const OPTIONAL_TABLES: Record<Layout, readonly string[]> = {
  multitenant: ['thirdparty_users', 'passwordless_users', 'recipe_user_tenants'],
  legacy: [
    'thirdparty_users',
    'passwordless_users',
    'user_metadata',
    'user_roles',
    'role_permissions',
    'user_last_active',
    'userid_mapping',
    'emailverification_verified_emails',
  ],
};

/** An empty relation shaped like each optional table. */
const EMPTY: Record<Layout, Record<string, string>> = {
  multitenant: {
    thirdparty_users: `SELECT NULL::varchar AS app_id, NULL::varchar AS third_party_id, NULL::varchar AS third_party_user_id,
      NULL::bpchar AS user_id, NULL::varchar AS email, NULL::bigint AS time_joined WHERE false`,
    passwordless_users: `SELECT NULL::varchar AS app_id, NULL::bpchar AS user_id, NULL::varchar AS email,
      NULL::varchar AS phone_number, NULL::bigint AS time_joined WHERE false`,
    recipe_user_tenants: `SELECT NULL::varchar AS app_id, NULL::bpchar AS recipe_user_id, NULL::varchar AS tenant_id WHERE false`,
  },
  legacy: {
    thirdparty_users: `SELECT NULL::varchar AS third_party_id, NULL::varchar AS third_party_user_id, NULL::bpchar AS user_id,
      NULL::varchar AS email, NULL::bigint AS time_joined WHERE false`,
    passwordless_users: `SELECT NULL::bpchar AS user_id, NULL::varchar AS email, NULL::varchar AS phone_number,
      NULL::bigint AS time_joined WHERE false`,
    user_metadata: `SELECT NULL::varchar AS user_id, NULL::text AS user_metadata WHERE false`,
    user_roles: `SELECT NULL::varchar AS user_id, NULL::varchar AS role WHERE false`,
    role_permissions: `SELECT NULL::varchar AS role, NULL::varchar AS permission WHERE false`,
    user_last_active: `SELECT NULL::varchar AS user_id, NULL::bigint AS last_active_time WHERE false`,
    userid_mapping: `SELECT NULL::bpchar AS supertokens_user_id, NULL::varchar AS external_user_id WHERE false`,
    emailverification_verified_emails: `SELECT NULL::varchar AS user_id, NULL::varchar AS email WHERE false`,
  },
};

/**
 * One login method as JSON, from a row `m` with the columns below. Keys are stable: the
 * repository maps them to the domain. json, not jsonb: building it costs a third as much, and its
 * text (which the row version hashes) keeps this key order.
 */
const LOGIN_METHOD_JSON = `json_build_object(
  'recipe_id', m.recipe_id,
  'recipe_user_id', m.recipe_user_id::text,
  'external_user_id', m.external_user_id,
  'email', m.email,
  'phone_number', m.phone_number,
  'third_party_id', m.third_party_id,
  'third_party_user_id', m.third_party_user_id,
  'tenant_ids', to_json(m.tenant_ids),
  'time_joined', m.time_joined,
  'verified', m.verified
)`;

/** Login methods in the order the rules use: earliest first, then by recipe user id (bytewise). */
const METHOD_ORDER = `m.time_joined, m.recipe_user_id::text COLLATE "C"`;

/**
 * Verified, as core decides it: a login method without an email (a phone-only passwordless
 * user) is verified; otherwise its email must be verified for its recipe user, whose id in
 * emailverification_verified_emails is the external one when it has a mapping.
 */
function verified(rel: (table: string) => string, appMatch: string, recipeUserId: string): string {
  return `(rec.email IS NULL OR EXISTS (
    SELECT 1 FROM ${rel('emailverification_verified_emails')} v
    WHERE ${appMatch} v.user_id = COALESCE(rm.external_user_id::text, ${recipeUserId}::text) AND v.email = rec.email
  ))`;
}

/**
 * A user's roles, from one scan of its user_roles rows (each joined to its role's permissions):
 * the distinct roles, the distinct {tenant, role} pairs (a two-dimensional text array), the
 * distinct permissions, and the distinct {tenant, permission} pairs. Aggregated
 * in a LATERAL with a FROM, so that it runs once per user and many rows never multiply the user.
 */
function rolesOf(from: string, where: string, tenant: string): string {
  return `
    SELECT
      COALESCE(array_agg(DISTINCT ur.role::text COLLATE "C" ORDER BY ur.role::text COLLATE "C"), '{}') AS roles,
      COALESCE(array_agg(DISTINCT ARRAY[${tenant}::text, ur.role::text]), '{}') AS tenant_roles,
      COALESCE(
        array_agg(DISTINCT rp.permission::text COLLATE "C" ORDER BY rp.permission::text COLLATE "C") FILTER (WHERE rp.permission IS NOT NULL),
        '{}'
      ) AS permissions,
      COALESCE(
        array_agg(DISTINCT ARRAY[${tenant}::text, rp.permission::text]) FILTER (WHERE rp.permission IS NOT NULL),
        '{}'
      ) AS tenant_permissions
    FROM ${from}
    WHERE ${where} AND ur.role IS NOT NULL`;
}

function multitenantSql(rel: (table: string) => string): string[] {
  const tenantIds = `COALESCE(
    (SELECT array_agg(DISTINCT t.tenant_id::text COLLATE "C" ORDER BY t.tenant_id::text COLLATE "C")
     FROM ${rel('recipe_user_tenants')} t WHERE t.app_id = r.app_id AND t.recipe_user_id = r.user_id),
    ARRAY(SELECT DISTINCT a.tenant_id::text COLLATE "C" FROM all_auth_recipe_users a
          WHERE a.app_id = r.app_id AND a.user_id = r.user_id AND a.tenant_id IS NOT NULL ORDER BY 1)
  )`;

  const view = `
    CREATE VIEW user_full_view AS
    SELECT
      u.app_id,
      u.user_id,
      um.external_user_id,
      lm.is_primary_user,
      lm.email,
      lm.time_joined,
      lm.login_methods,
      COALESCE(meta.object, '{}'::jsonb) AS metadata,
      (md.user_metadata IS NOT NULL AND meta.object IS NULL) AS metadata_invalid,
      rl.roles,
      rl.tenant_roles,
      rl.permissions,
      la.last_active_time,
      rl.tenant_permissions
    FROM app_id_to_user_id u
    LEFT JOIN userid_mapping um ON um.app_id = u.app_id AND um.supertokens_user_id = u.user_id
    -- the key SuperTokens files metadata and roles under: the external id when there is one
    CROSS JOIN LATERAL (SELECT COALESCE(um.external_user_id::text, u.user_id::text) AS id) k
    CROSS JOIN LATERAL (
      SELECT
        bool_or(m.is_linked) AS is_primary_user,
        min(m.time_joined) AS time_joined,
        (array_agg(m.email ORDER BY ${METHOD_ORDER}) FILTER (WHERE m.email IS NOT NULL))[1] AS email,
        json_agg(${LOGIN_METHOD_JSON} ORDER BY ${METHOD_ORDER}) AS login_methods
      FROM (
        SELECT
          r.user_id AS recipe_user_id,
          r.is_linked_or_is_a_primary_user AS is_linked,
          r.recipe_id,
          rm.external_user_id,
          rec.email,
          rec.phone_number,
          rec.third_party_id,
          rec.third_party_user_id,
          rec.time_joined,
          ${tenantIds} AS tenant_ids,
          ${verified(rel, 'v.app_id = r.app_id AND', 'r.user_id')} AS verified
        FROM app_id_to_user_id r
        CROSS JOIN LATERAL (
          SELECT e.email, NULL::varchar AS phone_number, NULL::varchar AS third_party_id,
                 NULL::varchar AS third_party_user_id, e.time_joined
          FROM emailpassword_users e
          WHERE r.recipe_id = 'emailpassword' AND e.app_id = r.app_id AND e.user_id = r.user_id
          UNION ALL
          SELECT t.email, NULL, t.third_party_id, t.third_party_user_id, t.time_joined
          FROM ${rel('thirdparty_users')} t
          WHERE r.recipe_id = 'thirdparty' AND t.app_id = r.app_id AND t.user_id = r.user_id
          UNION ALL
          SELECT p.email, p.phone_number, NULL, NULL, p.time_joined
          FROM ${rel('passwordless_users')} p
          WHERE r.recipe_id = 'passwordless' AND p.app_id = r.app_id AND p.user_id = r.user_id
        ) rec
        LEFT JOIN userid_mapping rm ON rm.app_id = r.app_id AND rm.supertokens_user_id = r.user_id
        WHERE r.app_id = u.app_id AND r.primary_or_recipe_user_id = u.user_id
      ) m
    ) lm
    LEFT JOIN user_metadata md ON md.app_id = u.app_id AND md.user_id = k.id
    LEFT JOIN LATERAL (SELECT usergraph_json_object_or_null(md.user_metadata) AS object OFFSET 0) meta ON true
    CROSS JOIN LATERAL (${rolesOf(
      `user_roles ur LEFT JOIN role_permissions rp ON rp.app_id = ur.app_id AND rp.role = ur.role`,
      `ur.app_id = u.app_id AND ur.user_id = k.id`,
      'ur.tenant_id',
    )}) rl
    -- core records activity against the SuperTokens (primary) id, mapped or not
    LEFT JOIN user_last_active la ON la.app_id = u.app_id AND la.user_id = u.user_id::text
    WHERE u.user_id = u.primary_or_recipe_user_id
      AND lm.time_joined IS NOT NULL -- a user has at least one login method
  `;

  // Arrays go through ARRAY(SELECT unnest(…)): the planner then cannot count them and probes the
  // indexes whatever the batch size, instead of scanning a small table for a large batch. Table
  // names are schema-qualified (a function, unlike a view, would resolve them with the caller's
  // search_path), which keeps the functions inlinable, so EXPLAIN shows their plans.
  const byKey = `
    CREATE FUNCTION usergraph_user_ids_by_key(app varchar, keys text[]) RETURNS SETOF bpchar
    LANGUAGE sql STABLE AS $$
      SELECT a.primary_or_recipe_user_id FROM ${rel('app_id_to_user_id')} a
      WHERE a.app_id = app AND a.user_id = ANY (ARRAY(
        SELECT k::bpchar FROM unnest(keys) k
        UNION ALL
        SELECT m.supertokens_user_id FROM ${rel('userid_mapping')} m
        WHERE m.app_id = app AND m.external_user_id = ANY (ARRAY(SELECT unnest(keys)))
      ))
    $$
  `;

  const byEmail = `
    CREATE FUNCTION usergraph_user_ids_by_email(app varchar, emails text[]) RETURNS SETOF bpchar
    LANGUAGE sql STABLE AS $$
      SELECT a.primary_or_recipe_user_id FROM ${rel('app_id_to_user_id')} a
      WHERE a.app_id = app AND a.user_id = ANY (ARRAY(
        SELECT e.user_id FROM ${rel('emailpassword_users')} e
        WHERE e.app_id = app AND e.email = ANY (ARRAY(SELECT unnest(emails)))
        UNION ALL
        SELECT t.user_id FROM ${rel('thirdparty_users')} t
        WHERE t.app_id = app AND t.email = ANY (ARRAY(SELECT unnest(emails)))
        UNION ALL
        SELECT p.user_id FROM ${rel('passwordless_users')} p
        WHERE p.app_id = app AND p.email = ANY (ARRAY(SELECT unnest(emails)))
      ))
    $$
  `;

  return [view, byKey, byEmail];
}

function legacySql(rel: (table: string) => string): string[] {
  // Every recipe user is a user of its own: no linking before multi-tenancy.
  const view = `
    CREATE VIEW user_full_view AS
    SELECT
      'public'::varchar(64) AS app_id,
      m.recipe_user_id AS user_id,
      m.external_user_id,
      false AS is_primary_user,
      m.email,
      m.time_joined,
      json_build_array(${LOGIN_METHOD_JSON}) AS login_methods,
      COALESCE(meta.object, '{}'::jsonb) AS metadata,
      (md.user_metadata IS NOT NULL AND meta.object IS NULL) AS metadata_invalid,
      rl.roles,
      rl.tenant_roles,
      rl.permissions,
      la.last_active_time,
      rl.tenant_permissions
    FROM (
      SELECT
        rec.user_id AS recipe_user_id,
        rec.recipe_id,
        rm.external_user_id,
        rec.email,
        rec.phone_number,
        rec.third_party_id,
        rec.third_party_user_id,
        rec.time_joined,
        ARRAY['public'::text COLLATE "C"] AS tenant_ids,
        ${verified(rel, '', 'rec.user_id')} AS verified
      FROM (
        SELECT 'emailpassword'::varchar AS recipe_id, e.user_id, e.email, NULL::varchar AS phone_number,
               NULL::varchar AS third_party_id, NULL::varchar AS third_party_user_id, e.time_joined
        FROM emailpassword_users e
        UNION ALL
        SELECT 'thirdparty', t.user_id, t.email, NULL, t.third_party_id, t.third_party_user_id, t.time_joined
        FROM ${rel('thirdparty_users')} t
        UNION ALL
        SELECT 'passwordless', p.user_id, p.email, p.phone_number, NULL, NULL, p.time_joined
        FROM ${rel('passwordless_users')} p
      ) rec
      LEFT JOIN ${rel('userid_mapping')} rm ON rm.supertokens_user_id = rec.user_id
    ) m
    CROSS JOIN LATERAL (SELECT COALESCE(m.external_user_id::text, m.recipe_user_id::text) AS id) k
    LEFT JOIN ${rel('user_metadata')} md ON md.user_id = k.id
    LEFT JOIN LATERAL (SELECT usergraph_json_object_or_null(md.user_metadata) AS object OFFSET 0) meta ON true
    CROSS JOIN LATERAL (${rolesOf(
      `${rel('user_roles')} ur LEFT JOIN ${rel('role_permissions')} rp ON rp.role = ur.role`,
      `ur.user_id = k.id`,
      `'public'`,
    )}) rl
    LEFT JOIN ${rel('user_last_active')} la ON la.user_id = m.recipe_user_id::text
  `;

  const byKey = `
    CREATE FUNCTION usergraph_user_ids_by_key(app varchar, keys text[]) RETURNS SETOF bpchar
    LANGUAGE sql STABLE AS $$
      SELECT k::bpchar FROM unnest(keys) k WHERE app = 'public'
      UNION ALL
      SELECT m.supertokens_user_id FROM ${rel('userid_mapping')} m
      WHERE app = 'public' AND m.external_user_id = ANY (ARRAY(SELECT unnest(keys)))
    $$
  `;

  const byEmail = `
    CREATE FUNCTION usergraph_user_ids_by_email(app varchar, emails text[]) RETURNS SETOF bpchar
    LANGUAGE sql STABLE AS $$
      SELECT e.user_id FROM ${rel('emailpassword_users')} e WHERE app = 'public' AND e.email = ANY (ARRAY(SELECT unnest(emails)))
      UNION ALL
      SELECT t.user_id FROM ${rel('thirdparty_users')} t WHERE app = 'public' AND t.email = ANY (ARRAY(SELECT unnest(emails)))
      UNION ALL
      SELECT p.user_id FROM ${rel('passwordless_users')} p WHERE app = 'public' AND p.email = ANY (ARRAY(SELECT unnest(emails)))
    $$
  `;

  return [view, byKey, byEmail];
}

/** The view as 1795484898409_create_user_full_view made it (email-password users only). */
const PREVIOUS_VIEW = `
  CREATE VIEW user_full_view AS
  SELECT
    ep.app_id,
    ep.user_id,
    ep.email,
    ep.time_joined,
    COALESCE(meta.object, '{}'::jsonb) AS metadata,
    (m.user_metadata IS NOT NULL AND meta.object IS NULL) AS metadata_invalid,
    ARRAY(
      SELECT DISTINCT r.role::text COLLATE "C"
      FROM user_roles r
      WHERE r.app_id = ep.app_id AND r.user_id = ep.user_id::text AND r.role IS NOT NULL
      ORDER BY 1
    ) AS roles,
    la.last_active_time
  FROM emailpassword_users ep
  LEFT JOIN user_metadata m ON m.app_id = ep.app_id AND m.user_id = ep.user_id::text
  LEFT JOIN LATERAL (SELECT usergraph_json_object_or_null(m.user_metadata) AS object) meta ON true
  LEFT JOIN user_last_active la ON la.app_id = ep.app_id AND la.user_id = ep.user_id::text
`;
