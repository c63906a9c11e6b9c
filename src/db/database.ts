/** Kysely's picture of what usergraph reads: the view our migrations create. */
import type { ColumnType } from 'kysely';

/** `pg` returns BIGINT as a string: epoch milliseconds are parsed explicitly when mapped. */
type Int8 = ColumnType<string, string | number, string | number>;

export interface UserFullViewTable {
  app_id: string;
  user_id: string;
  email: string;
  time_joined: Int8;
  /** Always a JSON object: '{}' when absent or not a valid JSON object. */
  metadata: unknown;
  /** A metadata row existed but was not a valid JSON object (reported, then served as '{}'). */
  metadata_invalid: boolean;
  /** Distinct, sorted; '{}' when none. */
  roles: string[];
  last_active_time: Int8 | null;
}

export interface Database {
  user_full_view: UserFullViewTable;
}
