/**
 * Every read of users, always scoped to the configured app. The database keeps a user in parts
 * (login methods, their tenants, verified emails, metadata, roles, activity; the views of
 * sql/<layout>/usergraph_user_parts.sql); the directory's UserAssembly makes users of them. The
 * full load reads each part whole, set-wise, in one read-only snapshot; a lookup reads the parts of
 * the users it names, in one statement. Rows come as pg gives them on the wire (text, arrays of
 * columns): nothing is parsed that the assembly does not need.
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { fingerprintOf, type Fingerprint } from '../directory/fingerprint.ts';
import { UserAssembly, type LoginMethodPart, type PendingUser } from '../directory/user-assembly.ts';
import { timeSlices, type Pause } from '../directory/steps.ts';
import type { User } from '../directory/user.ts';
import type { Logger } from '../logger.ts';
import { poolOf } from './connect.ts';
import type { Database } from './database.ts';

export interface UserRepository {
  /**
   * Every user of the app, streamed in batches, from one consistent snapshot of the database;
   * between slices of its work it awaits `pause` (by default: until pending requests ran).
   */
  streamAllUsers(pause?: Pause, options?: LoadOptions): AsyncIterable<User[]>;
  /**
   * The users any of these ids names: a SuperTokens user id, an external (mapped) id, or the id of
   * any of a user's login methods (and its external id). Each user once, however many ids name it.
   */
  findUsersByIds(ids: readonly string[]): Promise<User[]>;
  /**
   * The users holding any of these emails through any login method. Emails must already be
   * normalised (trimmed, lower-cased), as SuperTokens stores them.
   */
  findUsersByEmails(emails: readonly string[]): Promise<User[]>;
  /** The database's users' fingerprint, computed like the directory's own (see directory/fingerprint.ts). */
  fingerprint(): Promise<Fingerprint>;
}

export interface LoadOptions {
  /**
   * Nothing is served until this load ends (the startup load): the database sends every row as
   * it makes it, without waiting to be asked for each batch (see RowStream), and the login
   * methods as it joins them, so that the first row comes before the last is joined. Otherwise (a
   * reload or a drift check, beside served reads) rows are fetched a batch at a time, and the
   * login methods sorted first, so that the load reads a finished result at the pace it chooses:
   * measured, the reads beside a reload kept a lower p99 so (1.7-1.9x their p99 without, against
   * 2.0-2.3x unsorted, 100,000 users, docs/performance.md).
   */
  readonly first?: boolean;
  /**
   * Each user as it is assembled goes through this, and what it returns is yielded: a reload hands
   * back the equal user it already holds, so that the new one is garbage before the next is made
   * (a batch of new users waiting to be compared lived through the collector's scavenges, and was
   * copied by each).
   */
  readonly keep?: (user: User) => User;
}

export interface UserRepositoryOptions {
  readonly appId: string;
  readonly batchSize: number;
  readonly logger: Logger;
}

/** pg's type parsers, all replaced by "keep the text": the assembly parses what it needs. */
const AS_TEXT = { getTypeParser: () => (value: string) => value };

/**
 * The login methods' columns, in methodPart's order. A recipe user's key is sent only when it is
 * not its user's (most users are their one recipe user): a million strings fewer for the service
 * to make.
 */
const METHOD_COLUMNS = `m.user_key, NULLIF(m.recipe_user_key, m.user_key), m.recipe_id, m.is_linked, m.external_user_id, m.email, m.phone_number,
      m.third_party_id, m.third_party_user_id, m.time_joined, m.user_last_active_time, m.user_metadata`;

/** The set-wise reads of the full load: every part of every user of the app. */
const FULL_LOAD = {
  rolePermissions: 'SELECT role, permission FROM usergraph_role_permissions WHERE app_id = $1',
  roles: 'SELECT user_key, tenant_id, role FROM usergraph_user_roles WHERE app_id = $1',
  verified: 'SELECT user_key, email FROM usergraph_verified_emails WHERE app_id = $1',
  tenants: 'SELECT recipe_user_key, tenant_id, preferred FROM usergraph_login_method_tenants WHERE app_id = $1',
  loginMethods: `SELECT ${METHOD_COLUMNS} FROM usergraph_login_methods m WHERE m.app_id = $1`,
} as const;
/** The order a reload reads the login methods in (any order serves: see LoadOptions.first). */
const SORTED = ' ORDER BY m.user_key COLLATE "C"';
/** Where a full-load row has its recipe user's key (null: its user's own) and whether it is linked or primary. */
const RECIPE_USER_KEY_COLUMN = 1;
const IS_LINKED_COLUMN = 3;

/**
 * Whether other rows may belong to this row's user: a linked recipe user's row, or a primary
 * user's. SuperTokens marks both (is_linked_or_is_a_primary_user) when it links; a row not its
 * user's own is gathered even unmarked. Every other user is its one row.
 */
function mayHaveOtherRows(row: ReadonlyArray<string | null>): boolean {
  return row[IS_LINKED_COLUMN] === 't' || row[RECIPE_USER_KEY_COLUMN] !== null;
}

/** How much memory the load's sorts and hashes may use, in its own transaction only. */
const LOAD_WORK_MEM = '64MB';
/**
 * Rows fetched per round trip by a reload (or a drift check's full read) beside served reads. A
 * fetch's rows live until the reload has handled the last of them, across many paced slices: at
 * 2,000 rows a fetch they were most of what each of the collector's scavenges copied during a
 * reload (1.4 MB survived and 1.1 MB promoted per scavenge at 100,000 users, pauses 6 ms against 2
 * without a reload); at 250, 0.1 and 0.2 MB, pauses 2.6 ms. The round trips cost an idle reload of
 * 100,000 users about a tenth more (docs/performance.md).
 */
const FETCH_ROWS = 250;
/** Rows a RowStream holds unread before it stops reading its connection (the database then waits). */
const STREAM_AHEAD_ROWS = 8_000;

/**
 * The parts of the users that some keys name, in one statement: rows tagged with their part.
 * `usersNamed` is a set-returning function from keys to SuperTokens (primary) ids; the arrays go
 * through ARRAY(SELECT …) so that the planner probes the indexes whatever their length.
 */
function partsOfUsersNamed(usersNamed: 'usergraph_user_ids_by_key' | 'usergraph_user_ids_by_email', appId: string, keys: readonly string[]) {
  return sql<PartRow>`
    WITH m AS MATERIALIZED (
      SELECT * FROM usergraph_login_methods
      WHERE app_id = ${appId} AND user_key = ANY (ARRAY(SELECT id FROM ${sql.raw(usersNamed)}(${appId}, ${[...keys]}) id))
    )
    SELECT 'm' AS part, user_key::text AS a, recipe_user_key::text AS b, recipe_id::text AS c, is_linked::text AS d,
           external_user_id::text AS e, email::text AS f, phone_number::text AS g, third_party_id::text AS h,
           third_party_user_id::text AS i, time_joined::text AS j, user_last_active_time::text AS k, user_metadata AS l
    FROM m
    UNION ALL
    SELECT 't', recipe_user_key::text, tenant_id::text, preferred::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM usergraph_login_method_tenants
    WHERE app_id = ${appId} AND recipe_user_key = ANY (ARRAY(SELECT recipe_user_key FROM m))
    UNION ALL
    SELECT 'v', user_key::text, email::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM usergraph_verified_emails
    WHERE app_id = ${appId} AND user_key = ANY (ARRAY(SELECT COALESCE(external_user_id::text, recipe_user_key::text) FROM m))
    UNION ALL
    SELECT 'r', user_key::text, tenant_id::text, role::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM usergraph_user_roles
    WHERE app_id = ${appId} AND user_key = ANY (ARRAY(SELECT COALESCE(external_user_id::text, user_key::text) FROM m WHERE recipe_user_key = user_key))
    UNION ALL
    SELECT 'p', role::text, permission::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM usergraph_role_permissions
    WHERE app_id = ${appId}
  `;
}

interface PartRow {
  part: 'm' | 't' | 'v' | 'r' | 'p';
  a: string | null;
  b: string | null;
  c: string | null;
  d: string | null;
  e: string | null;
  f: string | null;
  g: string | null;
  h: string | null;
  i: string | null;
  j: string | null;
  k: string | null;
  l: string | null;
}

/**
 * The statements lookups run, unexecuted, each explainable: for EXPLAIN in the tests and in
 * scripts/measure-directory.ts, so that what is measured is what runs.
 */
export function userQueries(db: Kysely<Database>, appId: string) {
  const explainable = (query: ReturnType<typeof partsOfUsersNamed>) => ({
    execute: () => query.execute(db),
    explain: async (format: 'json', options?: ReturnType<typeof sql>) =>
      (await sql<Record<string, unknown>>`EXPLAIN (FORMAT ${sql.raw(format.toUpperCase())}${options ? sql`, ${options}` : sql``}) ${query}`.execute(db)).rows,
  });
  return {
    byIds: (ids: readonly string[]) => explainable(partsOfUsersNamed('usergraph_user_ids_by_key', appId, ids)),
    byEmails: (emails: readonly string[]) => explainable(partsOfUsersNamed('usergraph_user_ids_by_email', appId, emails)),
  };
}

export function createUserRepository(db: Kysely<Database>, options: UserRepositoryOptions): UserRepository {
  const { appId, batchSize, logger } = options;
  const queries = userQueries(db, appId);

  /** The users of a lookup's part rows (login methods grouped by user, the rest by key). */
  const assembleLookup = (rows: readonly PartRow[]): User[] => {
    const assembly = new UserAssembly(logger);
    const methodsByUser = new Map<string, LoginMethodPart[]>();
    for (const row of rows) {
      switch (row.part) {
        case 'm': {
          const method = methodPart([row.a, row.b, row.c, row.d, row.e, row.f, row.g, row.h, row.i, row.j, row.k, row.l]);
          const methods = methodsByUser.get(method.userKey);
          if (methods) methods.push(method);
          else methodsByUser.set(method.userKey, [method]);
          break;
        }
        case 't':
          assembly.addTenant(row.a!, row.b!, row.c === 'true');
          break;
        case 'v':
          assembly.addVerifiedEmail(row.a!, row.b!);
          break;
        case 'r':
          assembly.addRole(row.a!, row.b!, row.c!);
          break;
        case 'p':
          assembly.addRolePermission(row.a!, row.b!);
          break;
      }
    }
    const users: User[] = [];
    for (const methods of methodsByUser.values()) {
      const user = assembly.assemble(methods);
      if (user) users.push(user);
    }
    return users;
  };

  /**
   * How many keys the last full load's parts named: the next one sizes its table for them. A
   * table that grows moves every entry at once, a pause a reload beside served reads would feel.
   * The first load asks the planner how many tenant rows there are (about one a recipe user, the
   * most keys of any part): growing from nothing cost a million-user start 0.3 s in a profile.
   */
  let partKeys: number | undefined;

  async function* streamAllUsers(pause: Pause = timeSlices(), { first = false, keep }: LoadOptions = {}): AsyncGenerator<User[]> {
    const { pool, onQuery } = poolOf(db);
    const started = performance.now();
    let partsReadMs = 0;
    /** Rows and groups handled: every 128th lets requests run (see `pause`). */
    let handled = 0;
    const rest = () => ((++handled & 127) === 0 ? pause() : undefined);
    // Two connections in one snapshot (the second imports the first's): the database joins the
    // login methods on one while the other streams the parts, and every user is whole in it.
    const snapshot = await openSnapshot(pool, first ? 'stream' : 'fetch');
    try {
      const { first: parts, second } = snapshot;
      const assembly = new UserAssembly(logger, partKeys ?? (await estimatedRows(parts, FULL_LOAD.tenants, appId)));
      const methodsText = first ? FULL_LOAD.loginMethods : FULL_LOAD.loginMethods + SORTED;
      onQuery?.(methodsText);
      const methods = snapshot.rows(second, methodsText, [appId]);
      // On a connection of its own, the join starts while the parts are read.
      if (second !== parts) methods.start();
      const read = (text: string, onRow: (row: Array<string | null>) => void) => {
        onQuery?.(text);
        return streamRows(snapshot.rows(parts, text, [appId]), onRow, pause);
      };
      await read(FULL_LOAD.rolePermissions, ([role, permission]) => assembly.addRolePermission(role!, permission!));
      await read(FULL_LOAD.roles, ([key, tenant, role]) => assembly.addRole(key!, tenant!, role!));
      await read(FULL_LOAD.verified, ([key, email]) => assembly.addVerifiedEmail(key!, email!));
      await read(FULL_LOAD.tenants, ([key, tenant, preferred]) => assembly.addTenant(key!, tenant!, preferred === 't'));
      await snapshot.endFirst();
      partsReadMs = performance.now() - started;
      partKeys = assembly.keyCount;

      // A user with no login method linked to it is its one row: assembled as it arrives, and
      // nothing of its row outlives it (a reload must not grow the heap's young generation with
      // rows held to the end: the collector would copy them). A linked user waits, by user, until
      // every row is in (in whatever order they come), each row made its login method as it comes.
      const linkedUsers = new Map<string, PendingUser>();
      let batch: User[] = [];
      const take = (user: User | null): User[] | undefined => {
        if (!user || batch.push(keep ? keep(user) : user) < batchSize) return undefined;
        const full = batch;
        batch = [];
        return full;
      };
      for (;;) {
        const rows = await methods.read();
        if (rows.length === 0) break;
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i]!;
          const part = methodPart(row);
          if (mayHaveOtherRows(row)) {
            const pending = linkedUsers.get(part.userKey);
            if (pending) assembly.addRow(pending, part);
            else linkedUsers.set(part.userKey, assembly.pendingUser(part));
          } else {
            const full = take(assembly.assemble([part]));
            if (full) yield full;
          }
          const paused = rest();
          if (paused) await paused;
        }
      }
      await methods.close();
      await snapshot.commit();
      for (const pending of linkedUsers.values()) {
        const full = take(assembly.assemblePending(pending));
        if (full) yield full;
        const paused = rest();
        if (paused) await paused;
      }
      if (batch.length > 0) yield batch;
    } finally {
      await snapshot.release();
    }
    // streamedMs includes the time the reader spent between batches (a reload compares, and rests).
    logger.debug({ partsReadMs: Math.round(partsReadMs), streamedMs: Math.round(performance.now() - started) }, 'users read and assembled');
  }

  return {
    streamAllUsers,

    async findUsersByIds(ids) {
      if (ids.length === 0) return [];
      return assembleLookup((await queries.byIds(ids).execute()).rows);
    },

    async findUsersByEmails(emails) {
      if (emails.length === 0) return [];
      return assembleLookup((await queries.byEmails(emails).execute()).rows);
    },

    async fingerprint() {
      const users: User[] = [];
      for await (const batch of streamAllUsers()) for (const user of batch) users.push(user);
      return fingerprintOf(users);
    },
  };
}

/** The planner's estimate of a statement's rows (0 when it gives none): a round trip, and nothing read. */
async function estimatedRows(client: pg.PoolClient, text: string, appId: string): Promise<number> {
  const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan?: { 'Plan Rows'?: unknown } }> }>(`EXPLAIN (FORMAT JSON) ${text}`, [appId]);
  const estimate = rows[0]?.['QUERY PLAN'][0]?.Plan?.['Plan Rows'];
  return typeof estimate === 'number' && Number.isFinite(estimate) ? Math.min(Math.max(0, Math.round(estimate)), 10_000_000) : 0;
}

/** A usergraph_login_methods row (its columns in the order both reads select them). */
function methodPart([
  userKey,
  recipeUserKey,
  recipeId,
  isLinked,
  externalUserId,
  email,
  phoneNumber,
  thirdPartyId,
  thirdPartyUserId,
  timeJoined,
  userLastActive,
  userMetadata,
]: ReadonlyArray<string | null>): LoginMethodPart {
  return {
    userKey: userKey ?? '',
    // The full load sends none when it is the user's own (see METHOD_COLUMNS).
    recipeUserKey: recipeUserKey ?? userKey ?? '',
    recipeId: recipeId!,
    isLinked: isLinked === 't' || isLinked === 'true',
    externalUserId: externalUserId ?? null,
    email: email ?? null,
    phoneNumber: phoneNumber ?? null,
    thirdPartyId: thirdPartyId ?? null,
    thirdPartyUserId: thirdPartyUserId ?? null,
    timeJoined: timeJoined ?? null,
    userLastActive: userLastActive ?? null,
    userMetadata: userMetadata ?? null,
  };
}

/** Two connections reading one read-only snapshot, until committed or released. */
interface Snapshot {
  readonly first: pg.PoolClient;
  /** Imports the first's snapshot (pg_export_snapshot); with a pool of one, the first itself. */
  readonly second: pg.PoolClient;
  /** A statement's rows on one of the two (streamed or fetched, as the snapshot was opened); a connection whose rows are still coming is dropped by release. */
  rows(client: pg.PoolClient, text: string, values: unknown[]): Rows;
  /**
   * Ends the first's transaction and hands it back to the pool, once the second holds the
   * snapshot alone (nothing is left to read on the first): a paced reload must not keep a
   * connection idle in its transaction while the rest streams.
   */
  endFirst(): Promise<void>;
  commit(): Promise<void>;
  /** Hands the connections back: rolled back, or dropped, unless committed. Always call it. */
  release(): Promise<void>;
}

async function openSnapshot(pool: pg.Pool, rowsBy: 'stream' | 'fetch'): Promise<Snapshot> {
  const clients: pg.PoolClient[] = [];
  const opened: Rows[] = [];
  // A connection that dies while checked out emits 'error' on its client, which pg-pool does not
  // listen to: without a listener the process would die. The query in flight rejects as well.
  const ignore = () => {};
  let ended = false;
  const handBack = (client: pg.PoolClient, clean: boolean) => {
    clients.splice(clients.indexOf(client), 1);
    client.off('error', ignore);
    client.release(clean ? undefined : true);
  };
  const release = async () => {
    // Rows still coming hold their connection (a statement sent after them would wait forever,
    // and closing a cursor waits for a server that may be gone): such a connection is dropped.
    const held = new Set(opened.splice(0).filter((rows) => rows.isOpen).map((rows) => rows.client));
    for (const client of [...clients]) {
      // A load that failed leaves its transaction open: end it, or drop the connection rather
      // than hand it back mid-transaction.
      handBack(client, ended || (!held.has(client) && (await client.query('ROLLBACK').then(() => true, () => false))));
    }
  };
  try {
    // A pool of one connection reads everything on it, one statement after the other.
    const connections = Math.min(2, pool.options.max ?? 2);
    for (let i = 0; i < connections; i++) {
      const client = await pool.connect();
      client.on('error', ignore);
      clients.push(client);
    }
    const first = clients[0]!;
    const second = clients[1] ?? first;
    await first.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await first.query(`SET LOCAL work_mem = '${LOAD_WORK_MEM}'`);
    if (second !== first) {
      const { rows } = await first.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
      await second.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await second.query(`SET TRANSACTION SNAPSHOT '${rows[0]!.snapshot.replaceAll("'", "''")}'`);
      await second.query(`SET LOCAL work_mem = '${LOAD_WORK_MEM}'`);
    }
    return {
      first,
      second,
      rows(client, text, values) {
        const rows = rowsBy === 'stream' ? new RowStream(client, text, values) : new RowCursor(client, text, values);
        opened.push(rows);
        return rows;
      },
      async endFirst() {
        if (second === first || !clients.includes(first)) return;
        await first.query('COMMIT');
        handBack(first, true);
      },
      async commit() {
        for (const client of clients) await client.query('COMMIT');
        ended = true;
      },
      release,
    };
  } catch (error) {
    await release();
    throw error;
  }
}

type Row = Array<string | null>;

/** A statement's rows as arrays of text, in the order they come; an empty read: there are no more. */
interface Rows {
  readonly client: pg.PoolClient;
  /** Sends the statement, if not sent yet: the database starts on it before the first read. */
  start(): void;
  read(): Promise<Row[]>;
  /** Sent and not done: its connection can run nothing else. */
  readonly isOpen: boolean;
  close(): Promise<void>;
}

/** Fetched FETCH_ROWS at a time, each fetch when read: the reader sets the pace. */
class RowCursor implements Rows {
  private cursor: Cursor | undefined;
  /** The first fetch, sent by `start`. */
  private started: Promise<Row[]> | undefined;
  private closed = false;

  constructor(
    readonly client: pg.PoolClient,
    private readonly text: string,
    private readonly values: unknown[],
  ) {}

  start(): void {
    if (this.cursor) return;
    this.started = this.read();
    this.started.catch(() => {}); // awaited by the next read; a failure meanwhile must not go unhandled
  }

  read(): Promise<Row[]> {
    const started = this.started;
    if (started) {
      this.started = undefined;
      return started;
    }
    this.cursor ??= this.client.query(new FieldsCursor(this.text, this.values));
    return this.cursor.read(FETCH_ROWS) as Promise<Row[]>;
  }

  /** Opened and not closed: its connection can run nothing else. */
  get isOpen(): boolean {
    return this.cursor !== undefined && !this.closed;
  }

  async close(): Promise<void> {
    if (!this.cursor || this.closed) return;
    await this.cursor.close();
    this.closed = true;
  }
}

/**
 * Sent whole, as one statement: the database makes and sends rows without waiting to be asked for
 * each batch (with a cursor it waits, a round trip and a wake-up per fetch, and a join can run no
 * more than one fetch ahead of the reader). Rows are parsed as they arrive; past
 * STREAM_AHEAD_ROWS unread, the connection is not read until the reader catches up, and the
 * database waits (TCP's own flow control). For the startup load, which nothing else waits on.
 */
class RowStream implements Rows {
  private query: pg.Query | undefined;
  private rows: Row[] = [];
  private done = false;
  private failure: Error | undefined;
  private paused = false;
  private wake: (() => void) | undefined;

  constructor(
    readonly client: pg.PoolClient,
    private readonly text: string,
    private readonly values: unknown[],
  ) {}

  start(): void {
    if (this.query) return;
    const query = new FieldsQuery(this.text, this.values, (row) => {
      if (this.rows.push(row) >= STREAM_AHEAD_ROWS && !this.paused) {
        this.paused = true;
        this.client.connection.stream.pause();
      }
      this.wakeReader();
    });
    // Done or failed, the connection must be read again: for what follows the error, and for the
    // next statement (a ROLLBACK sent to a connection left unread would wait forever).
    query.on('error', (error: Error) => {
      this.failure = error;
      this.resume();
      this.wakeReader();
    });
    query.on('end', () => {
      this.done = true;
      this.resume();
      this.wakeReader();
    });
    this.query = this.client.query(query);
  }

  async read(): Promise<Row[]> {
    this.start();
    while (this.rows.length === 0 && !this.done && this.failure === undefined) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.failure !== undefined) throw this.failure;
    const rows = this.rows;
    this.rows = [];
    this.resume();
    return rows;
  }

  get isOpen(): boolean {
    return this.query !== undefined && !this.done;
  }

  /** Nothing to close once every row is read; a stream left unread is dropped with its connection (see release). */
  async close(): Promise<void> {}

  private resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.client.connection.stream.resume();
  }

  private wakeReader(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/**
 * A query whose rows are its DataRow messages' fields, as pg-protocol parsed them (text, or null
 * for NULL): what pg's Result would make of them with every type kept as text (AS_TEXT), without
 * copying each row into a new array and emitting an event for it. A million-user start reads
 * 3.5 million rows.
 */
class FieldsQuery extends pg.Query {
  constructor(
    text: string,
    values: unknown[],
    private readonly onRow: (row: Row) => void,
  ) {
    super({ text, values, rowMode: 'array', types: AS_TEXT } as pg.QueryConfig); // the types omit rowMode, which Query takes
  }

  /** Called by pg's Client for each DataRow message of this query (pg.Query's own parses it through its Result). */
  handleDataRow(message: { readonly fields: Row }): void {
    this.onRow(message.fields);
  }
}

/** pg-cursor's Cursor, its rows taken as FieldsQuery takes them. */
class FieldsCursor extends Cursor {
  constructor(text: string, values: unknown[]) {
    super(text, values, { rowMode: 'array', types: AS_TEXT });
  }

  /** As pg-cursor's own, which parses the fields through its Result and emits an event per row; `_rows` is the batch its read resolves with. */
  handleDataRow(message: { readonly fields: Row }): void {
    (this as unknown as { _rows: Row[] })._rows.push(message.fields);
  }
}

/**
 * Streams a statement's rows to `onRow`, then closes it, letting requests run at least every
 * SLICE_MS (see steps.ts): a reload must not hold up the reads it runs beside.
 */
async function streamRows(source: Rows, onRow: (row: Row) => void, pause: Pause): Promise<void> {
  for (;;) {
    const rows = await source.read();
    if (rows.length === 0) break;
    for (let i = 0; i < rows.length; i++) {
      onRow(rows[i]!);
      if ((i & 127) === 127) {
        const paused = pause();
        if (paused) await paused;
      }
    }
  }
  await source.close();
}
