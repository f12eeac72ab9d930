import { describe, expect, it } from 'vitest';
import { queueEntry } from '../../test/fixtures';
import { applyQueueEvent } from './queue-logic';

const me = { id: 'me', name: 'Me', email: 'me@x' };
const other = { id: 'other', name: 'Other', email: 'o@x' };

describe('applyQueueEvent', () => {
  const a = queueEntry({ id: 'a', priority: 90 });
  const b = queueEntry({ id: 'b', priority: 50 });

  it('replaces an entry in place', () => {
    const next = applyQueueEvent([a, b], { kind: 'STARTED', entry: { ...b, status: 'IN_PROGRESS', assignee: me } }, 'open', 'me');
    expect(next.map((r) => [r.id, r.status])).toEqual([
      ['a', 'PENDING'],
      ['b', 'IN_PROGRESS'],
    ]);
  });

  it('inserts a created entry by priority and drops completed ones', () => {
    const c = queueEntry({ id: 'c', priority: 70 });
    const added = applyQueueEvent([a, b], { kind: 'CREATED', entry: c }, 'open', 'me');
    expect(added.map((r) => r.id)).toEqual(['a', 'c', 'b']);
    const removed = applyQueueEvent(added, { kind: 'COMPLETED', entry: { ...a, status: 'COMPLETED' } }, 'open', 'me');
    expect(removed.map((r) => r.id)).toEqual(['c', 'b']);
  });

  it('in "Mine", drops entries assigned to someone else or released', () => {
    const mine = { ...a, status: 'ASSIGNED' as const, assignee: me };
    expect(applyQueueEvent([mine], { kind: 'ASSIGNED', entry: { ...a, status: 'ASSIGNED', assignee: other } }, 'mine', 'me')).toEqual([]);
    expect(applyQueueEvent([mine], { kind: 'RELEASED', entry: { ...a, status: 'PENDING', assignee: null } }, 'mine', 'me')).toEqual([]);
    expect(applyQueueEvent([], { kind: 'ASSIGNED', entry: mine }, 'mine', 'me')).toEqual([mine]);
  });
});
