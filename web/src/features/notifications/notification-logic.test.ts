import { describe, expect, it } from 'vitest';
import type { Notification } from '../../graphql/types';
import { NOTIFICATION_KIND, notificationHref } from './notification-logic';

const note = (over: Partial<Notification>): Notification => ({
  id: 'n-1',
  kind: 'SLA_WARNING',
  message: 'Review due at 2026-03-02 13:00 UTC',
  createdAt: '2026-03-02T12:00:00.000Z',
  readAt: null,
  entry: { id: 'e-1' },
  application: { id: 'app-1', externalId: 'EXT-1', applicant: { firstName: 'Lena', lastName: 'Varga' } },
  ...over,
});

describe('notificationHref', () => {
  it('leads an override waiting for approval to the overrides list, where a senior approves it', () => {
    expect(notificationHref(note({ kind: 'OVERRIDE_PENDING' }))).toBe('#/overrides');
  });
  it('leads anything about a case to the case, and nowhere without one', () => {
    expect(notificationHref(note({ kind: 'OVERRIDE_REJECTED' }))).toBe('#/case/app-1');
    expect(notificationHref(note({ application: null }))).toBeNull();
  });
  it('labels every kind the server sends', () => {
    expect(NOTIFICATION_KIND.OVERRIDE_PENDING.label).toBe('Override to approve');
  });
});
