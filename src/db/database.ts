/**
 * Kysely's picture of `user_full_view`, the view our SQL defines for people and tests (sql/). The
 * service itself reads a user's parts (usergraph_* views, raw SQL in user-repository.ts).
 */
import type { ColumnType } from 'kysely';

/** `pg` returns BIGINT as a string: epoch milliseconds are parsed explicitly when mapped. */
type Int8 = ColumnType<string, string | number, string | number>;

/** One element of `login_methods` (JSON built by the view). */
export interface LoginMethodJson {
  recipe_id: string;
  /** The recipe user's SuperTokens id. */
  recipe_user_id: string;
  external_user_id: string | null;
  email: string | null;
  phone_number: string | null;
  third_party_id: string | null;
  third_party_user_id: string | null;
  tenant_ids: string[];
  time_joined: number;
  verified: boolean;
}

export interface UserFullViewTable {
  app_id: string;
  /** The user's SuperTokens id: its primary (or only) recipe user's. */
  user_id: string;
  external_user_id: string | null;
  is_primary_user: boolean;
  /** The email of the earliest login method that has one. */
  email: string | null;
  /** The earliest of the login methods'. */
  time_joined: Int8;
  /** Earliest first; never empty. */
  login_methods: LoginMethodJson[];
  /** Always a JSON object: '{}' when absent or not a valid JSON object. */
  metadata: unknown;
  /** A metadata row existed but was not a valid JSON object (reported, then served as '{}'). */
  metadata_invalid: boolean;
  /** Distinct, sorted; '{}' when none. */
  roles: string[];
  /** Distinct {tenant_id, role} pairs (a two-dimensional text array), in no particular order. */
  tenant_roles: string[][];
  /** Distinct {tenant, permission} pairs granted by the user's roles in that tenant. */
  tenant_permissions: string[][];
  /** Distinct, sorted. */
  permissions: string[];
  last_active_time: Int8 | null;
}

export interface Database {
  user_full_view: UserFullViewTable;
}
