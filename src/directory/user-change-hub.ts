/**
 * Fans the directory's changes out to subscribers. Each subscriber filters at publish time and
 * has a bounded queue: one that falls behind (a slow client during a bulk change) is ended with
 * `SubscriberFellBehindError` rather than buffering without limit or stalling the directory.
 */
import type { UserChangeEvent } from './user-directory.ts';

export class SubscriberFellBehindError extends Error {
  constructor(readonly limit: number) {
    super(`the subscriber fell more than ${limit} changes behind`);
    this.name = 'SubscriberFellBehindError';
  }
}

interface Subscriber {
  readonly wants: (event: UserChangeEvent) => boolean;
  readonly queue: UserChangeEvent[];
  wake: (() => void) | undefined;
  failure: Error | undefined;
  closed: boolean;
}

export class UserChangeHub {
  private readonly subscribers = new Set<Subscriber>();
  /** After `endAll`: a new subscription ends at once (the service is shutting down). */
  private ended = false;

  constructor(private readonly queueLimit = 10_000) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Never throws: the directory calls this while applying changes. */
  publish(events: readonly UserChangeEvent[]): void {
    for (const subscriber of this.subscribers) {
      for (const event of events) {
        if (!subscriber.wants(event)) continue;
        if (subscriber.queue.length >= this.queueLimit) {
          subscriber.failure = new SubscriberFellBehindError(this.queueLimit);
          subscriber.queue.length = 0;
          this.subscribers.delete(subscriber);
          break;
        }
        subscriber.queue.push(event);
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

  subscribe(wants: (event: UserChangeEvent) => boolean = () => true): AsyncIterableIterator<UserChangeEvent> {
    const subscriber: Subscriber = { wants, queue: [], wake: undefined, failure: undefined, closed: this.ended };
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
      async next(): Promise<IteratorResult<UserChangeEvent>> {
        for (;;) {
          const event = subscriber.queue.shift();
          if (event) return { value: event, done: false };
          if (subscriber.failure) throw subscriber.failure;
          if (subscriber.closed) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (subscriber.wake = resolve));
          subscriber.wake = undefined;
        }
      },
      async return(): Promise<IteratorResult<UserChangeEvent>> {
        close();
        return { value: undefined, done: true };
      },
    };
  }
}
