/**
 * Fans the directory's changes out to subscribers. Each subscriber filters at publish time and
 * has a bounded queue. When changes arrive faster than a queue may hold (one bulk statement, a
 * reload that changed thousands of users), the subscriber's queue is replaced by one REFETCH
 * event: what it holds is stale, refetch it. A subscriber is ended with
 * `SubscriberFellBehindError` only when that happens again before it has read the REFETCH:
 * it really is not reading. So a bulk change never ends a subscriber that keeps up, and memory
 * stays bounded for one that does not.
 */
import type { UserChangeEvent } from './user-directory.ts';

export class SubscriberFellBehindError extends Error {
  constructor(readonly limit: number) {
    super(`the subscriber fell more than ${limit} changes behind twice without reading in between`);
    this.name = 'SubscriberFellBehindError';
  }
}

/** Too many changes at once to list them: refetch what you hold. */
export interface RefetchEvent {
  readonly kind: 'REFETCH';
  readonly user: null;
  readonly at: Date;
}

/** What a subscriber reads: a change, or the word that there were too many to list. */
export type HubEvent = UserChangeEvent | RefetchEvent;

interface Subscriber {
  readonly wants: (event: UserChangeEvent) => boolean;
  queue: HubEvent[];
  /** Its queue was collapsed into a REFETCH that it has not read yet. */
  refetchUnread: boolean;
  wake: (() => void) | undefined;
  failure: Error | undefined;
  closed: boolean;
}

export class UserChangeHub {
  private readonly subscribers = new Set<Subscriber>();
  /** After `endAll`: a new subscription ends at once (the service is shutting down). */
  private ended = false;
  /** Told of every publish, synchronously (the drift check watches what changes while it compares). */
  private readonly watchers = new Set<(events: readonly UserChangeEvent[]) => void>();

  constructor(private readonly queueLimit = 10_000) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Never throws: the directory calls this while applying changes. */
  publish(events: readonly UserChangeEvent[]): void {
    for (const watcher of this.watchers) {
      try {
        watcher(events);
      } catch {
        // a watcher must not break the directory
      }
    }
    for (const subscriber of this.subscribers) {
      const wanted = events.filter((event) => subscriber.wants(event));
      if (wanted.length === 0) continue;
      if (subscriber.queue.length + wanted.length <= this.queueLimit) {
        subscriber.queue.push(...wanted);
      } else if (subscriber.refetchUnread) {
        subscriber.failure = new SubscriberFellBehindError(this.queueLimit);
        subscriber.queue = [];
        this.subscribers.delete(subscriber);
      } else {
        subscriber.queue = [{ kind: 'REFETCH', user: null, at: wanted[wanted.length - 1]!.at }];
        subscriber.refetchUnread = true;
      }
      subscriber.wake?.();
    }
  }

  /** Ends every subscription once its queued events are delivered (at shutdown: the streams close cleanly). */
  endAll(): void {
    this.ended = true;
    for (const subscriber of this.subscribers) {
      subscriber.closed = true;
      subscriber.wake?.();
    }
    this.subscribers.clear();
  }

  /** Calls `watcher` with every publish until the returned function is called. */
  watch(watcher: (events: readonly UserChangeEvent[]) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  subscribe(wants: (event: UserChangeEvent) => boolean = () => true): AsyncIterableIterator<HubEvent> {
    const subscriber: Subscriber = { wants, queue: [], refetchUnread: false, wake: undefined, failure: undefined, closed: this.ended };
    if (!this.ended) this.subscribers.add(subscriber);
    const close = () => {
      subscriber.closed = true;
      this.subscribers.delete(subscriber);
      subscriber.wake?.();
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next(): Promise<IteratorResult<HubEvent>> {
        for (;;) {
          const event = subscriber.queue.shift();
          if (event) {
            if (event.kind === 'REFETCH') subscriber.refetchUnread = false;
            return { value: event, done: false };
          }
          if (subscriber.failure) throw subscriber.failure;
          if (subscriber.closed) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (subscriber.wake = resolve));
          subscriber.wake = undefined;
        }
      },
      async return(): Promise<IteratorResult<HubEvent>> {
        close();
        return { value: undefined, done: true };
      },
    };
  }
}
