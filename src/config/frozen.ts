/** Deep immutability, at run time and in the types. */

/** What deepFreeze makes of a value, as a type: readonly all the way down, arrays included. */
export type Frozen<T> = T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

export function deepFreeze<T extends object>(value: T): Frozen<T> {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value) as Frozen<T>;
}
