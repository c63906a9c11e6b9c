/**
 * Which users a listing asks for: every condition of a filter must hold (they compose by AND).
 * Each condition says how to test one user and, where the snapshot keeps one, which index holds
 * every user that can pass it; the snapshot walks the smallest such index and tests the rest.
 */
import type { User } from './user.ts';

export interface UserFilter {
  /** Holders of this role: in `tenantId` when one is given, else in any tenant. */
  readonly role?: string | undefined;
  /** Users with a login method in this tenant. */
  readonly tenantId?: string | undefined;
}

/** Where a condition's candidates are kept: one of the snapshot's grouped indexes. */
export type IndexName = 'byRole' | 'byTenant';

export interface Condition {
  /** The users passing this condition are all in this group of that index. */
  readonly index: { readonly name: IndexName; readonly group: string } | undefined;
  /** False when the index alone decides (every member passes): no test is needed then. */
  readonly needsTest: boolean;
  readonly test: (user: User) => boolean;
}

export function conditionsOf({ role, tenantId }: UserFilter): Condition[] {
  const conditions: Condition[] = [];
  if (tenantId !== undefined) {
    conditions.push({ index: { name: 'byTenant', group: tenantId }, needsTest: false, test: (user) => user.tenantIds.includes(tenantId) });
  }
  if (role !== undefined) {
    conditions.push(
      tenantId === undefined
        ? { index: { name: 'byRole', group: role }, needsTest: false, test: (user) => user.roles.includes(role) }
        : {
            // Holding the role in some tenant is necessary, not sufficient: the index narrows, the test decides.
            index: { name: 'byRole', group: role },
            needsTest: true,
            test: (user) => user.rolesByTenant.some((entry) => entry.tenantId === tenantId && entry.roles.includes(role)),
          },
    );
  }
  return conditions;
}

/** A stable text naming the filter, for memoising its matches. */
export function filterKey(filter: UserFilter): string {
  return JSON.stringify([filter.tenantId ?? null, filter.role ?? null]);
}
