/** The change fan-out: filtered per subscriber, bounded (a bulk change becomes one REFETCH), and never able to break the publisher. */
import { describe, expect, it } from 'vitest';
import type { UserChangeEvent } from '../../src/directory/user-directory.ts';
import { SubscriberFellBehindError, UserChangeHub } from '../../src/directory/user-change-hub.ts';
import { domainUser } from '../support/domain.ts';

const event = (id: string): UserChangeEvent => ({
  kind: 'UPSERT',
  at: new Date(0),
  user: domainUser(id, 0),
});

describe('UserChangeHub', () => {
  it('delivers in order only what each subscriber wants', async () => {
    const hub = new UserChangeHub();
    const all = hub.subscribe();
    const onlyB = hub.subscribe((e) => e.user.id === 'b');
    hub.publish([event('a'), event('b'), event('c')]);
    expect((await all.next()).value.user.id).toBe('a');
    expect((await all.next()).value.user.id).toBe('b');
    expect((await onlyB.next()).value.user.id).toBe('b');
    const pending = onlyB.next();
    hub.publish([event('b')]);
    expect((await pending).value.user.id).toBe('b');
  });

  it('delivers a bulk change that fits to a subscriber that keeps up, one event at a time', async () => {
    const hub = new UserChangeHub(5);
    const subscription = hub.subscribe();
    hub.publish(['a', 'b', 'c'].map(event));
    hub.publish(['d', 'e'].map(event));
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await subscription.next()).value.user.id);
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('turns more changes than a queue holds into one REFETCH, then goes on with what follows', async () => {
    const hub = new UserChangeHub(3);
    const subscription = hub.subscribe();
    hub.publish([event('before')]);
    expect(() => hub.publish(['a', 'b', 'c', 'd'].map(event))).not.toThrow();
    expect((await subscription.next()).value).toEqual({ kind: 'REFETCH', user: null, at: new Date(0) });
    hub.publish([event('after')]);
    expect((await subscription.next()).value.user.id).toBe('after');
    // It read the REFETCH: another bulk change is another REFETCH, not the end.
    hub.publish(['e', 'f', 'g', 'h'].map(event));
    expect((await subscription.next()).value.kind).toBe('REFETCH');
    expect(hub.subscriberCount).toBe(1);
  });

  it('ends only a subscriber that overflows again before reading its REFETCH, without throwing at the publisher or touching the others', async () => {
    const hub = new UserChangeHub(3);
    const slow = hub.subscribe();
    const keepingUp = hub.subscribe();
    const picky = hub.subscribe((e) => e.user.id === 'z');
    hub.publish(['a', 'b', 'c', 'd'].map(event));
    expect((await keepingUp.next()).value.kind).toBe('REFETCH');
    expect(() => hub.publish(['e', 'f', 'g', 'h'].map(event))).not.toThrow();
    await expect(slow.next()).rejects.toBeInstanceOf(SubscriberFellBehindError);
    expect((await keepingUp.next()).value.kind).toBe('REFETCH');
    expect(hub.subscriberCount).toBe(2);
    hub.publish([event('z')]);
    expect((await picky.next()).value.user.id).toBe('z');
  });

  it('tells watchers of every publish, synchronously, and forgets them when asked', () => {
    const hub = new UserChangeHub();
    const seen: string[] = [];
    const unwatch = hub.watch((events) => seen.push(...events.map((e) => e.user.id)));
    hub.publish([event('a'), event('b')]);
    unwatch();
    hub.publish([event('c')]);
    expect(seen).toEqual(['a', 'b']);
  });

  it('forgets a subscriber that returns, and ends its pending read', async () => {
    const hub = new UserChangeHub();
    const subscription = hub.subscribe();
    const pending = subscription.next();
    await subscription.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(hub.subscriberCount).toBe(0);
  });

  it('ends every subscription at shutdown after what is queued, and any opened after', async () => {
    const hub = new UserChangeHub();
    const open = hub.subscribe();
    const waiting = hub.subscribe();
    const pending = waiting.next();
    hub.publish([event('a')]);
    hub.endAll();
    expect((await open.next()).value.user.id).toBe('a');
    expect(await open.next()).toEqual({ value: undefined, done: true });
    expect((await pending).value.user.id).toBe('a');
    expect(await waiting.next()).toEqual({ value: undefined, done: true });
    expect(hub.subscriberCount).toBe(0);
    expect(await hub.subscribe().next()).toEqual({ value: undefined, done: true });
  });
});
