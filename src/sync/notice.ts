/**
 * The messages that keep directories fresh, as they travel on PostgreSQL's `usergraph_changes`
 * channel (written by the triggers of migration notify_user_changes) and on Redis.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export const NOTIFY_CHANNEL = 'usergraph_changes';

export type ChangeNotice =
  /** These users (any id naming them) changed in this app. */
  | { readonly kind: 'ids'; readonly appId: string; readonly ids: readonly string[]; readonly key: string; readonly committedAt: number }
  /** Reload the whole app: a bulk change, or an instance's reloadUsers. */
  | { readonly kind: 'reload'; readonly appId: string; readonly key: string; readonly committedAt: number; readonly origin?: string };

const Payload = z.discriminatedUnion('k', [
  z.object({
    k: z.literal('ids'),
    a: z.string(),
    i: z.array(z.string()).max(10_000),
    x: z.union([z.string(), z.number()]),
    n: z.number().int(),
    t: z.number(),
  }),
  z.object({
    k: z.literal('reload'),
    a: z.string(),
    x: z.union([z.string(), z.number()]),
    n: z.number().int(),
    t: z.number(),
    o: z.string().optional(),
  }),
]);

/** Null for a payload that is not one of ours (it is logged by the caller, never thrown). */
export function parseNotice(payload: string): ChangeNotice | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = Payload.safeParse(json);
  if (!parsed.success) return null;
  const p = parsed.data;
  // x names one statement's notices and n the part: the same on every path (NOTIFY, Redis).
  const key = `${p.k}:${p.a}:${p.x}:${p.n}`;
  return p.k === 'ids'
    ? { kind: 'ids', appId: p.a, ids: p.i, key, committedAt: p.t }
    : { kind: 'reload', appId: p.a, key, committedAt: p.t, ...(p.o === undefined ? {} : { origin: p.o }) };
}

/** A reload request from this instance, in the triggers' format. */
export function reloadRequest(appId: string, origin: string): string {
  return JSON.stringify({ k: 'reload', a: appId, x: randomUUID(), n: 0, t: Date.now(), o: origin });
}
