/** Reading PostgreSQL's plans (EXPLAIN … FORMAT JSON): which tables a statement scans, and how. */

/** Tables with a row (or more) per user: scanning one of them whole costs O(users). */
export const PER_USER_TABLES: ReadonlySet<string> = new Set([
  'app_id_to_user_id',
  'all_auth_recipe_users',
  'emailpassword_users',
  'thirdparty_users',
  'passwordless_users',
  'emailpassword_user_to_tenant',
  'thirdparty_user_to_tenant',
  'passwordless_user_to_tenant',
  'userid_mapping',
  'user_metadata',
  'user_roles',
  'user_last_active',
  'emailverification_verified_emails',
  'recipe_user_tenants',
  'webauthn_users',
  'webauthn_user_to_tenant',
]);

export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

/** Every scan of a table in the plan, as "Seq Scan on t" or "Index Scan on t using i". */
export function scansOf(node: PlanNode, found: string[] = []): string[] {
  if (node['Relation Name']) {
    found.push(`${node['Node Type']} on ${node['Relation Name']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}`);
  }
  for (const child of node.Plans ?? []) scansOf(child, found);
  return found;
}

/** The scans of a per-user table that are not index probes: each reads the table whole. */
export function wholeScansOfUserTables(scans: readonly string[]): string[] {
  return scans.filter(
    (scan) => !scan.startsWith('Index') && !scan.startsWith('Bitmap') && PER_USER_TABLES.has(scan.split(' on ')[1]!.split(' ')[0]!),
  );
}

/** The scans of a statement Kysely can explain (without running it). */
export async function planOf(query: { explain(format: 'json'): Promise<unknown[]> }): Promise<string[]> {
  const [row] = (await query.explain('json')) as Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;
  return scansOf(row!['QUERY PLAN'][0]!.Plan);
}
