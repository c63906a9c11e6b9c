/**
 * A value now, or later. Reads from memory answer now; only what has to be fetched (a directory
 * miss, a token's first signature check) makes a promise, so a request answered from memory runs
 * without one.
 */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `then` to a value that may still be coming, without a promise when it is already here. */
export function whenReady<T, R>(value: MaybePromise<T>, then: (value: T) => R): MaybePromise<R> {
  return value instanceof Promise ? (value.then(then) as Promise<R>) : then(value);
}
