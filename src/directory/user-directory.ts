/**
 * The in-memory directory: one current `UserSnapshot`, replaced atomically. Reloads are
 * single-flight and build a whole new snapshot before swapping it in; a failed reload keeps the
 * old one. Incremental changes (cache misses found in the database, change notices) are applied
 * as new snapshots too.
 */
import type { Logger } from '../logger.ts';
import { AbsentKeys } from './absent-keys.ts';
import { normalizeEmail, userKeys, type User } from './user.ts';
import { UserSnapshot, type UserChanges } from './user-snapshot.ts';

/** Streams every user of the app, batch by batch (the repository, in production). */
export type UserSource = () => AsyncIterable<readonly User[]>;

export interface ReloadResult {
  readonly count: number;
  readonly durationMs: number;
  readonly loadedAt: Date;
}

/** What happened to one user, as the directory saw it. */
export interface UserChangeEvent {
  readonly kind: 'UPSERT' | 'DELETE';
  /** For DELETE, the user as last known. */
  readonly user: User;
  readonly at: Date;
}

export interface UserCacheOptions {
  readonly absentTtlMs: number;
  readonly logger: Logger;
  /** Log load progress every this many users. */
  readonly progressEvery?: number;
  /** Told of every user that changed, by whatever path (notice, miss, reload). */
  readonly onChange?: (events: readonly UserChangeEvent[]) => void;
}

export class UserDirectory {
  private current = UserSnapshot.empty();
  private loaded = false;
  private pendingReload: Promise<ReloadResult> | undefined;
  /** Changes applied while a reload is in flight, replayed on top of the reloaded snapshot. */
  private journal: UserChanges[] | undefined;
  private readonly absent: AbsentKeys;

  constructor(
    private readonly source: UserSource,
    private readonly options: UserCacheOptions,
  ) {
    this.absent = new AbsentKeys(options.absentTtlMs);
  }

  get snapshot(): UserSnapshot {
    return this.current;
  }

  /** True once the first full load has completed. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /** A full load is in flight. */
  get isReloading(): boolean {
    return this.pendingReload !== undefined;
  }

  /** Loads every user into a new snapshot and swaps it in. Concurrent calls share one load. */
  reload(): Promise<ReloadResult> {
    this.pendingReload ??= this.loadAndSwap().finally(() => {
      this.pendingReload = undefined;
      this.journal = undefined;
    });
    return this.pendingReload;
  }

  apply(changes: UserChanges): void {
    const before = this.current;
    this.current = before.withChanges(changes);
    this.journal?.push(changes);
    for (const user of changes.upserts) {
      for (const key of userKeys(user)) this.absent.delete(idKey(key));
      for (const email of user.emails) this.absent.delete(emailKey(email));
    }
    this.announce(before, this.current, [...changes.deletedIds, ...changes.upserts.flatMap(userKeys)]);
  }

  isKnownAbsentId(id: string): boolean {
    return this.absent.has(idKey(id));
  }

  isKnownAbsentEmail(email: string): boolean {
    return this.absent.has(emailKey(email));
  }

  rememberAbsentId(id: string): void {
    this.absent.add(idKey(id));
  }

  rememberAbsentEmail(email: string): void {
    this.absent.add(emailKey(email));
  }

  private async loadAndSwap(): Promise<ReloadResult> {
    const { logger, progressEvery = 50_000 } = this.options;
    const started = performance.now();
    this.journal = [];
    const users: User[] = [];
    let nextProgress = progressEvery;
    for await (const batch of this.source()) {
      for (const user of batch) users.push(user);
      if (users.length >= nextProgress) {
        logger.info({ loaded: users.length }, 'loading users');
        nextProgress += progressEvery;
      }
    }
    let snapshot = UserSnapshot.fromUsers(users, new Date());
    for (const changes of this.journal) snapshot = snapshot.withChanges(changes);
    const before = this.current;
    this.current = snapshot;
    if (this.loaded) this.announce(before, snapshot);
    this.loaded = true;
    this.absent.clear();
    const durationMs = performance.now() - started;
    logger.info({ count: snapshot.size, durationMs: Math.round(durationMs) }, 'users loaded');
    return { count: snapshot.size, durationMs, loadedAt: snapshot.loadedAt };
  }

  /** Tells `onChange` which users differ between two snapshots (among those `ids` name, or all). */
  private announce(before: UserSnapshot, after: UserSnapshot, ids?: readonly string[]): void {
    const { onChange } = this.options;
    if (!onChange) return;
    const candidates = new Set<string>();
    const named = ids ? [...before.usersNamedBy(ids), ...after.usersNamedBy(ids)] : [...before.all(), ...after.all()];
    for (const user of named) candidates.add(user.supertokensUserId);
    const at = new Date();
    const events: UserChangeEvent[] = [];
    for (const id of candidates) {
      const old = before.getBySupertokensId(id);
      const now = after.getBySupertokensId(id);
      if (now && now.version !== old?.version) events.push({ kind: 'UPSERT', user: now, at });
      else if (!now && old) events.push({ kind: 'DELETE', user: old, at });
    }
    if (events.length === 0) return;
    try {
      onChange(events);
    } catch (error) {
      // Listeners must not be able to break the directory.
      this.options.logger.error({ err: error }, 'a change listener failed');
    }
  }
}

const idKey = (id: string) => `id:${id}`;
const emailKey = (email: string) => `email:${normalizeEmail(email)}`;
