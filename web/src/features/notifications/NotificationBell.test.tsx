import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { GraphQLProvider } from '../../graphql/provider';
import type { Notification } from '../../graphql/types';
import { notification, signIn } from '../../test/fixtures';
import { api, server } from '../../test/server';
import { NotificationBell } from './NotificationBell';
import { mergeNotifications } from './notification-logic';

interface Publisher {
  publish: (payload: { data: { notificationReceived: { notification: Notification } } }) => void;
}

/** The user's notifications on the "server", the live channel, and what was marked read. */
function mockNotificationServer(initial: Notification[]) {
  const state = {
    items: initial,
    subscribers: [] as Publisher[],
    marked: [] as unknown[],
    failMark: false,
  };
  const unread = () => state.items.filter((n) => !n.readAt).length;
  server.use(
    api.query('UnreadNotificationCount', () => HttpResponse.json({ data: { unreadNotificationCount: unread() } })),
    api.query('Notifications', () =>
      HttpResponse.json({
        data: {
          notifications: {
            totalCount: state.items.length,
            edges: state.items.map((node) => ({ cursor: node.id, node })),
            pageInfo: { hasNextPage: false, endCursor: null },
          },
        },
      }),
    ),
    api.mutation('MarkNotificationRead', ({ variables }) => {
      state.marked.push(variables);
      if (state.failMark) {
        return HttpResponse.json({ data: null, errors: [{ message: 'Notification n-x not found', extensions: { code: 'NOT_FOUND' } }] });
      }
      const readAt = new Date().toISOString();
      state.items = state.items.map((n) => (n.id === variables.id ? { ...n, readAt } : n));
      return HttpResponse.json({ data: { markNotificationRead: state.items.find((n) => n.id === variables.id) } });
    }),
    api.subscription('NotificationReceived', ({ subscription }) => {
      state.subscribers.push(subscription as unknown as Publisher);
    }),
  );
  return {
    state,
    /** The server creates a notification and pushes it. */
    push(n: Notification) {
      state.items = [n, ...state.items];
      for (const s of state.subscribers) s.publish({ data: { notificationReceived: { notification: n } } });
    },
  };
}

function renderBell() {
  signIn('tok-bell');
  render(
    <GraphQLProvider identity="demo/analyst" getToken={() => 'tok-bell'}>
      <NotificationBell />
    </GraphQLProvider>,
  );
}

const unreadBadge = () => screen.queryByTestId('notification-unread')?.textContent ?? null;

describe('notification bell', () => {
  it('shows the unread count and lists notifications, unread first by time, each linking to its case', async () => {
    mockNotificationServer([
      notification({ id: 'n-2', kind: 'SLA_BREACHED', message: 'Case EXT-1 breached its SLA', createdAt: new Date(Date.now() - 60_000).toISOString() }),
      notification({
        id: 'n-1',
        kind: 'CASE_ASSIGNED',
        message: 'Case EXT-9 was assigned to you',
        readAt: new Date().toISOString(),
        createdAt: new Date(Date.now() - 7_200_000).toISOString(),
        application: { id: 'app-9', externalId: 'EXT-9', applicant: { firstName: 'John', lastName: 'Roe' } },
      }),
    ]);
    renderBell();
    await waitFor(() => expect(unreadBadge()).toBe('1'));
    expect(screen.queryByTestId('notification-panel')).toBeNull();

    fireEvent.click(screen.getByTestId('notification-bell'));
    const items = await within(screen.getByTestId('notification-panel')).findAllByTestId('notification-item');
    expect(items.map((i) => [i.getAttribute('data-kind'), i.getAttribute('data-read')])).toEqual([
      ['SLA_BREACHED', 'false'],
      ['CASE_ASSIGNED', 'true'],
    ]);
    expect(items[0]?.textContent).toContain('SLA breached');
    expect(items[0]?.textContent).toContain('Jane Doe');
    expect(items[1]?.textContent).toContain('2 h ago');

    // Opening one goes to its case, marks it read and closes the panel.
    fireEvent.click(within(items[1] as HTMLElement).getByTestId('notification-open'));
    expect(window.location.hash).toBe('#/case/app-9');
    expect(screen.queryByTestId('notification-panel')).toBeNull();
  });

  it('marks a notification read with markNotificationRead and lowers the count', async () => {
    const mock = mockNotificationServer([notification({ id: 'n-1' }), notification({ id: 'n-2', kind: 'SLA_ESCALATED' })]);
    renderBell();
    await waitFor(() => expect(unreadBadge()).toBe('2'));
    fireEvent.click(screen.getByTestId('notification-bell'));
    const first = (await screen.findAllByTestId('notification-item'))[0] as HTMLElement;
    fireEvent.click(within(first).getByTestId('notification-mark-read'));
    await waitFor(() => expect(unreadBadge()).toBe('1'));
    expect(mock.state.marked).toEqual([{ id: first.getAttribute('data-notification-id') }]);
    await waitFor(() => expect(screen.getAllByTestId('notification-item').filter((i) => i.getAttribute('data-read') === 'true')).toHaveLength(1));

    fireEvent.click(screen.getByTestId('notifications-mark-all'));
    await waitFor(() => expect(unreadBadge()).toBeNull());
    expect(mock.state.marked).toHaveLength(2);
  });

  it('puts it back to unread when the server refuses the read', async () => {
    const mock = mockNotificationServer([notification({ id: 'n-1' })]);
    mock.state.failMark = true;
    renderBell();
    await waitFor(() => expect(unreadBadge()).toBe('1'));
    fireEvent.click(screen.getByTestId('notification-bell'));
    fireEvent.click(await screen.findByTestId('notification-mark-read'));
    await waitFor(() => expect(mock.state.marked).toHaveLength(1));
    await waitFor(() => expect(unreadBadge()).toBe('1'));
    expect(screen.getByTestId('notification-item').getAttribute('data-read')).toBe('false');
  });

  it('shows a notification arriving over notificationReceived at once: count, toast and panel', async () => {
    const mock = mockNotificationServer([]);
    renderBell();
    await waitFor(() => expect(mock.state.subscribers).toHaveLength(1));
    expect(unreadBadge()).toBeNull();

    mock.push(
      notification({
        id: 'n-live',
        kind: 'OVERRIDE_REJECTED',
        message: 'Sam Senior rejected your override on EXT-1: the raise is not yet in force',
        createdAt: new Date().toISOString(),
      }),
    );
    const toast = await screen.findByTestId('notification-toast');
    expect(toast.getAttribute('data-kind')).toBe('OVERRIDE_REJECTED');
    expect(toast.textContent).toContain('rejected your override');
    await waitFor(() => expect(unreadBadge()).toBe('1'));

    fireEvent.click(screen.getByTestId('notification-bell'));
    const item = await screen.findByTestId('notification-item');
    expect(item.textContent).toContain('Override rejected');
    expect(item.textContent).toContain('just now');

    // The toast's "Open case" goes to the case.
    fireEvent.click(screen.getByTestId('notification-bell'));
    fireEvent.click(await screen.findByTestId('toast-open'));
    expect(window.location.hash).toBe('#/case/app-1');
    await waitFor(() => expect(mock.state.marked).toEqual([{ id: 'n-live' }]));
  });
});

describe('mergeNotifications', () => {
  it('keeps one per id (the fetched copy wins), newest first, with local reads applied', () => {
    const a = notification({ id: 'a', createdAt: '2026-01-01T10:00:00.000Z' });
    const b = notification({ id: 'b', createdAt: '2026-01-01T11:00:00.000Z' });
    const bFetched = { ...b, message: 'server copy' };
    const merged = mergeNotifications([b], [a, bFetched], { a: '2026-01-01T12:00:00.000Z' });
    expect(merged.map((n) => [n.id, n.message === 'server copy', n.readAt])).toEqual([
      ['b', true, null],
      ['a', false, '2026-01-01T12:00:00.000Z'],
    ]);
  });
});
