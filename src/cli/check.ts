/**
 * `usergraph check`: reads the config, connects, and says in words what it finds, one line per
 * finding. True only when all is well (the CLI then exits 0).
 */
import type { Config } from '../config/config.ts';
import { connectDatabase } from '../db/connect.ts';
import { appExists, isHotStandby, listenWorks, privileges, schemaState, superTokensLayout, triggerState, userCount, type SuperTokensLayout } from '../db/inspect.ts';

type Print = (line: string) => void;

interface Finding {
  readonly ok: boolean;
  readonly text: string;
}

export async function check(config: Config, print: Print): Promise<boolean> {
  const url = config.database.url;
  if (url === undefined) {
    print('DATABASE_URL is not set: usergraph would start its embedded demo database. Set it to check your own.');
    return false;
  }
  print(`Checking ${withoutPassword(url)} (app "${config.appId}")`);
  const db = connectDatabase({ url, poolSize: 2 });
  const findings: Finding[] = [];
  const report = (finding: Finding) => {
    findings.push(finding);
    print(`  ${finding.ok ? 'ok     ' : 'PROBLEM'}  ${finding.text}`);
  };
  try {
    try {
      await db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
    } catch (error) {
      report({ ok: false, text: `cannot connect: ${error instanceof Error ? error.message : String(error)}` });
      return finish(findings, print);
    }

    /** One step: its finding, or, when asking failed (a privilege, say), that failure as a problem. */
    const step = async (what: string, ask: () => Promise<Finding>): Promise<boolean> => {
      try {
        const finding = await ask();
        report(finding);
        return finding.ok;
      } catch (error) {
        report({ ok: false, text: `${what}: could not check (${error instanceof Error ? error.message : String(error)})` });
        return false;
      }
    };

    let layout: SuperTokensLayout | undefined;
    await step('SuperTokens layout', async () => describeLayout((layout = await superTokensLayout(db))));
    if (layout === undefined || layout.kind === 'none' || layout.kind === 'multitenant-unlinked') return finish(findings, print);

    let pendingMigrations = 0;
    await step(`app "${config.appId}"`, async () => {
      if (!(await appExists(db, config.appId))) return { ok: false, text: `app "${config.appId}" does not exist in this database (APP_ID)` };
      const users = await userCount(db, config.appId);
      return { ok: true, text: `app "${config.appId}": ${users === undefined ? 'users not counted (the view is not there yet)' : `${users} users`}` };
    });

    await step('migrations', async () => {
      const schema = await schemaState(db);
      pendingMigrations = schema.pending.length;
      if (schema.pending.length > 0) {
        return {
          ok: false,
          text: `migrations: ${schema.applied.length} applied, ${schema.pending.length} pending (${schema.pending.join(', ')}); \`usergraph migrate\` applies them${config.database.migrateOnStart ? ', and so does the next start (MIGRATE_ON_START=true)' : ''}`,
        };
      }
      if (schema.sqlFilesPending.length > 0) {
        return { ok: false, text: `migrations: all ${schema.applied.length} applied, but these SQL files changed since they ran: ${schema.sqlFilesPending.join(', ')}; \`usergraph migrate\` applies them` };
      }
      return { ok: true, text: `migrations: all ${schema.applied.length} applied, and the SQL files in sql/ as they ran` };
    });

    await step('change triggers', async () => {
      const triggers = await triggerState(db);
      if (triggers.missing.length === 0) return { ok: true, text: `change triggers on all ${triggers.watched.length} watched tables` };
      return {
        ok: false,
        text: `change triggers missing on ${triggers.missing.map(({ table, events }) => `${table} (${events.join(', ')})`).join('; ')}: changes there reach the directory only through the drift check${pendingMigrations > 0 ? ' (the pending migrations create them)' : ''}`,
      };
    });

    await step('LISTEN', async () => {
      if (!config.sync.listen) {
        return { ok: true, text: `LISTEN not used (CHANGE_LISTENER=false)${config.sync.redisUrl ? ': notices come over Redis' : ': changes arrive only through the drift check'}` };
      }
      const where = config.sync.listenUrl ? 'LISTEN_DATABASE_URL' : 'this connection';
      if (await listenWorks(config.sync.listenUrl ?? url, db)) return { ok: true, text: `LISTEN works on ${where}` };
      const why = (await isHotStandby(db))
        ? 'this is a hot standby, which never delivers NOTIFY: listen on the primary with LISTEN_DATABASE_URL'
        : 'a transaction-pooling PgBouncer? set LISTEN_DATABASE_URL to a direct connection to the primary';
      return { ok: false, text: `LISTEN does not work on ${where}: a notice sent did not arrive within 3 s (${why})` };
    });

    await step('privileges', async () => {
      const { missing } = await privileges(db, { migrates: config.database.migrateOnStart });
      return missing.length === 0 ? { ok: true, text: 'privileges: all the service needs' } : { ok: false, text: `privileges missing: ${missing.join('; ')}` };
    });
  } finally {
    await db.destroy();
  }
  return finish(findings, print);
}

function finish(findings: readonly Finding[], print: Print): boolean {
  const problems = findings.filter((finding) => !finding.ok).length;
  print(problems === 0 ? 'All is well.' : `${problems} ${problems === 1 ? 'problem' : 'problems'} found.`);
  return problems === 0;
}

function describeLayout(layout: SuperTokensLayout): Finding {
  switch (layout.kind) {
    case 'none':
      return { ok: false, text: 'no SuperTokens tables here (emailpassword_users is missing): point DATABASE_URL at the database SuperTokens core uses' };
    case 'legacy':
      return { ok: true, text: 'SuperTokens layout: before multi-tenancy (core 3 to 5, postgresql plugin 2.x–3.x)' };
    case 'multitenant-unlinked':
      return { ok: false, text: 'SuperTokens layout: multi-tenancy without account linking (core 6, plugin 4.x): not supported; upgrade SuperTokens core to 7 or later' };
    case 'multitenant':
      return layout.migrationMode
        ? { ok: true, text: 'SuperTokens layout: apps, tenants, account linking and recipe_user_tenants (core 12 or later, plugin 9.5+)' }
        : { ok: true, text: 'SuperTokens layout: apps, tenants and account linking (core 7 to 11, plugin 5.x–9.4)' };
  }
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(DATABASE_URL)';
  }
}
