/**
 * The in-memory directory: one current `UserSnapshot`, replaced atomically. Reloads are
 * single-flight; a reload keeps the users it finds unchanged, applies the few that changed as
 * changes, or builds a whole new snapshot when many did, before swapping it in; a failed reload
 * keeps the old one. Incremental changes (cache misses found in the database, change notices) are applied
 * as new snapshots too.
 */
import type { Logger } from '../logger.ts';
import { AbsentKeys } from './absent-keys.ts';
import { SharedParts, sameUser } from './directory-user.ts';
import { BACKGROUND_REST_MS, timeSlices, type Pause } from './steps.ts';
import { normalizeEmail, userKeys, type User } from './user.ts';
import { UserSnapshot, type UserChanges } from './user-snapshot.ts';

/**
 * Streams every user of the app, batch by batch (the repository, in production), pausing with
 * `pause` between slices of its work; `first`: the startup load, before which nothing is served.
 * `keep`, on a reload: what to yield for each user as it is made (the equal user held already, or
 * itself); a source that yields its own users instead is compared all the same, batch by batch.
 */
export type UserSource = (
  pause: Pause,
  options: { readonly first: boolean; readonly keep?: ((user: User) => User) | undefined },
) => AsyncIterable<readonly User[]>;

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

export interface UserDirectoryOptions {
  readonly absentTtlMs: number;
  readonly logger: Logger;
  /** Log load progress every this many users. */
  readonly progressEvery?: number;
  /** Told of every user that changed, by whatever path (notice, miss, reload). */
  readonly onChange?: (events: readonly UserChangeEvent[]) => void;
  /** Whether anyone listens to `onChange` now: a reload compares every user only for a listener. */
  readonly wantsChanges?: () => boolean;
  /** Fold the changes into a new base once this many users changed since the last build (default: 2% of the users, at least 1,000). */
  readonly compactAfter?: (users: number) => number;
  /** Told of every full load once swapped in (`first`: the startup load), for the metrics. */
  readonly onLoaded?: (result: ReloadResult, first: boolean) => void;
}

export class UserDirectory {
  private current = UserSnapshot.empty();
  private loaded = false;
  private pendingReload: Promise<ReloadResult> | undefined;
  private pendingCompaction: Promise<void> | undefined;
  /** Changes applied while a reload is in flight, replayed on top of the reloaded snapshot. */
  private journal: UserChanges[] | undefined;
  private readonly absent: AbsentKeys;

  constructor(
    private readonly source: UserSource,
    private readonly options: UserDirectoryOptions,
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
    if (this.pendingReload) return this.pendingReload;
    // Journal from now on: a change applied while the load waits or runs is replayed on its result.
    this.journal ??= [];
    this.pendingReload = (async () => {
      await this.pendingCompaction; // one rebuild at a time
      return this.loadAndSwap();
    })().finally(() => {
      this.pendingReload = undefined;
      this.journal = undefined;
    });
    return this.pendingReload;
  }

  apply(changes: UserChanges): void {
    const before = this.current;
    this.current = before.withChanges(changes);
    this.journal?.push(changes);
    this.compactWhenDue();
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

  /**
   * Changes pile up beside the base index (see user-snapshot.ts); past a threshold they are folded
   * into a new base, built from the directory itself in steps that let requests run, while new
   * changes are journaled and replayed on it, exactly as for a reload.
   */
  private compactWhenDue(): void {
    if (this.pendingCompaction || this.pendingReload || !this.loaded) return;
    const { size, changesSinceBuild } = this.current;
    if (changesSinceBuild < this.compactionThreshold(size)) return;
    this.journal = [];
    const from = this.current;
    this.pendingCompaction = (async () => {
      const started = performance.now();
      let snapshot = await UserSnapshot.build(from.all(), from.loadedAt, { restMs: BACKGROUND_REST_MS });
      for (const changes of this.journal ?? []) snapshot = snapshot.withChanges(changes);
      this.current = snapshot;
      this.options.logger.debug({ users: snapshot.size, folded: changesSinceBuild, durationMs: Math.round(performance.now() - started) }, 'directory compacted');
    })()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'compacting the directory failed; it keeps its changes beside the base'))
      .finally(() => {
        this.pendingCompaction = undefined;
        if (!this.pendingReload) this.journal = undefined;
      });
  }

  private async loadAndSwap(): Promise<ReloadResult> {
    const { logger, progressEvery = 50_000 } = this.options;
    const started = performance.now();
    this.journal ??= [];
    const first = !this.loaded;
    const users: User[] = [];
    // A reload keeps each user it already holds unchanged (same object: its kept answer texts stay
    // good, and the new one is garbage at once); what differs is applied as changes when few.
    const changed: User[] = [];
    const shared = new SharedParts();
    const pause = timeSlices({ restMs: first ? 0 : BACKGROUND_REST_MS });
    const keep = first
      ? undefined
      : (user: User): User => {
          const held = this.current.getBySupertokensId(user.supertokensUserId);
          return held !== undefined && sameUser(held, user, shared) ? held : user;
        };
    let nextProgress = progressEvery;
    for await (const batch of this.source(pause, { first, keep })) {
      for (let i = 0; i < batch.length; i++) {
        const user = batch[i]!;
        const held = first ? undefined : this.current.getBySupertokensId(user.supertokensUserId);
        if (held !== undefined && sameUser(held, user, shared)) {
          users.push(held);
        } else {
          users.push(user);
          changed.push(user);
        }
        if ((i & 255) === 255) {
          const paused = pause();
          if (paused) await paused;
        }
      }
      if (users.length >= nextProgress) {
        logger.info({ loaded: users.length }, 'loading users');
        nextProgress += progressEvery;
      }
    }
    const before = this.current;
    const deletedIds = first ? [] : await this.missingFrom(users, pause);
    let snapshot: UserSnapshot;
    let announced: readonly string[] | undefined;
    if (!first && changed.length + deletedIds.length <= this.compactionThreshold(before.size)) {
      snapshot = before.withChanges({ upserts: changed, deletedIds }, new Date());
      announced = [...deletedIds, ...changed.flatMap(userKeys)];
    } else {
      // The first load sorts the activity and email orders after it is served: until then nothing
      // is. A reload swaps in a whole snapshot, so that no listing waits on a reload's sorting.
      snapshot = await UserSnapshot.build(users, new Date(), first ? { ordersLater: true } : { restMs: BACKGROUND_REST_MS });
    }
    users.length = 0;
    for (const changes of this.journal) snapshot = snapshot.withChanges(changes);
    const replaced = this.current;
    this.current = snapshot;
    if (!first && (this.options.wantsChanges?.() ?? true)) this.announce(replaced, snapshot, announced);
    this.loaded = true;
    this.absent.clear();
    const durationMs = performance.now() - started;
    logger.info({ count: snapshot.size, changed: changed.length, deleted: deletedIds.length, durationMs: Math.round(durationMs) }, 'users loaded');
    const result = { count: snapshot.size, durationMs, loadedAt: snapshot.loadedAt };
    this.options.onLoaded?.(result, first);
    return result;
  }

  /** The SuperTokens ids of the users held now that a full load did not find (deleted behind our back), in steps. */
  private async missingFrom(loaded: readonly User[], pause: Pause): Promise<string[]> {
    // Most reloads find every user still there: counting the loaded users one snapshot holds tells
    // so (a load yields each user once) without a set of every id, whose growth held the event
    // loop up to 100 ms at once at a million users. One snapshot: changes applied between the
    // pauses must not move the count or the size it is compared with.
    const snapshot = this.current;
    let held = 0;
    for (let i = 0; i < loaded.length; i++) {
      if (snapshot.getBySupertokensId(loaded[i]!.supertokensUserId) !== undefined) held++;
      if ((i & 1023) === 1023) {
        const paused = pause();
        if (paused) await paused;
      }
    }
    if (held === snapshot.size) return [];
    const found = new Set<string>();
    for (let i = 0; i < loaded.length; i++) {
      found.add(loaded[i]!.supertokensUserId);
      if ((i & 1023) === 1023) {
        const paused = pause();
        if (paused) await paused;
      }
    }
    const missing: string[] = [];
    let i = 0;
    for (const user of snapshot.all()) {
      if (!found.has(user.supertokensUserId)) missing.push(user.supertokensUserId);
      if ((++i & 1023) === 0) {
        const paused = pause();
        if (paused) await paused;
      }
    }
    return missing;
  }

  /** Changes since the last build past which a new base is built (see compactWhenDue). */
  private compactionThreshold(size: number): number {
    return this.options.compactAfter?.(size) ?? Math.max(1_000, Math.ceil(size * 0.02));
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
