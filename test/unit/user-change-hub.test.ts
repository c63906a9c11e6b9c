/** The change fan-out: filtered per subscriber, bounded, and never able to break the publisher. */
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

  it('ends a subscriber that falls behind, without throwing at the publisher or touching the others', async () => {
    const hub = new UserChangeHub(3);
    const slow = hub.subscribe();
    const picky = hub.subscribe((e) => e.user.id === 'z');
    expect(() => hub.publish(['a', 'b', 'c', 'd'].map(event))).not.toThrow();
    await expect(slow.next()).rejects.toBeInstanceOf(SubscriberFellBehindError);
    expect(hub.subscriberCount).toBe(1);
    hub.publish([event('z')]);
    expect((await picky.next()).value.user.id).toBe('z');
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
