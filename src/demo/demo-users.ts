/**
 * The embedded default's demo data: SuperTokens' tables and a few hundred realistic users, written
 * once into an empty embedded database. Deterministic, so every fresh install shows the same users.
 * Never used with a DATABASE_URL.
 */
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../logger.ts';
import {
  addUserRole,
  createRole,
  createSuperTokensTables,
  setLastActive,
  setUserMetadata,
  signUpEmailPassword,
} from '../../supertokens-standin/writes.ts';
import { seededRandom, seededUuid } from '../../supertokens-standin/random.ts';

export const DEMO_USER_COUNT = 300;

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Edsger',
  'Frances', 'Tim', 'Hedy', 'Donald', 'Katherine', 'Guido', 'Annie', 'Bjarne', 'Shafi', 'Niklaus'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie',
  'Perlman', 'Dijkstra', 'Allen', 'Berners-Lee', 'Lamarr', 'Knuth', 'Johnson', 'van Rossum', 'Easley', 'Stroustrup',
  'Goldwasser', 'Wirth'];
const DOMAINS = ['example.com', 'acme.test', 'mail.example.org', 'initech.test'];
const THEMES = ['light', 'dark', 'system'];
const ROLES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['admin', ['users:read', 'users:pii', 'users:write']],
  ['support', ['users:read', 'users:pii']],
  ['editor', ['content:write', 'users:read']],
  ['viewer', ['content:read']],
];

export async function seedDemoIfEmpty(db: Kysely<any>, logger: Logger): Promise<void> {
  const { rows } = await sql<{ exists: boolean }>`SELECT to_regclass('emailpassword_users') IS NOT NULL AS exists`.execute(db);
  if (rows[0]?.exists) return;

  logger.info({ users: DEMO_USER_COUNT }, 'creating SuperTokens tables and demo users');
  await createSuperTokensTables(db);
  for (const [role, permissions] of ROLES) await createRole(db, role, permissions);

  const random = seededRandom(20240115);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const now = Date.UTC(2026, 10, 1);
  const twoYears = 2 * 365 * 24 * 3600 * 1000;

  for (let i = 0; i < DEMO_USER_COUNT; i++) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const email = `${first}.${last.replace(/[^A-Za-z]/g, '')}${i}@${pick(DOMAINS)}`.toLowerCase();
    const timeJoined = now - Math.floor(random() * twoYears);
    const userId = await signUpEmailPassword(db, { email, timeJoined, userId: seededUuid(random) });

    if (random() < 0.8) {
      await setUserMetadata(db, userId, {
        first_name: first,
        last_name: last,
        preferences: { theme: pick(THEMES), newsletter: random() < 0.4 },
      });
    }
    if (i < 3) await addUserRole(db, userId, 'admin');
    else if (random() < 0.1) await addUserRole(db, userId, 'support');
    if (random() < 0.3) await addUserRole(db, userId, 'editor');
    if (random() < 0.6) await addUserRole(db, userId, 'viewer');
    if (random() < 0.7) await setLastActive(db, userId, timeJoined + Math.floor(random() * (now - timeJoined)));
  }
}
