import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { MARK_NOTIFICATION_READ, NOTIFICATION_RECEIVED, NOTIFICATIONS, UNREAD_NOTIFICATION_COUNT } from '../../graphql/operations';
import type { Notification } from '../../graphql/types';
import { mergeNotifications } from './notification-logic';

export const NOTIFICATIONS_PAGE = 20;

export interface NotificationsState {
  items: Notification[];
  unread: number;
  fetching: boolean;
  /** The latest live arrival (for a toast); null once dismissed. */
  latest: Notification | null;
  dismissLatest: () => void;
  markRead: (notification: Notification) => Promise<void>;
  markAllRead: () => Promise<void>;
}

/**
 * The signed-in user's notifications: the newest page and the unread count
 * from the server, live arrivals from notificationReceived on top, and
 * reads applied at once (the server's answer replaces them when it comes).
 */
export function useNotifications(): NotificationsState {
  const client = useClient();
  const [countResult, refetchCount] = useQuery({ query: UNREAD_NOTIFICATION_COUNT });
  const [listResult, refetchList] = useQuery({ query: NOTIFICATIONS, variables: { first: NOTIFICATIONS_PAGE } });
  const [, markNotificationRead] = useMutation(MARK_NOTIFICATION_READ);
  const [arrived, setArrived] = useState<Notification[]>([]);
  const [readAt, setReadAt] = useState<Record<string, string>>({});
  const [latest, setLatest] = useState<Notification | null>(null);
  // Changes since the server last counted: +1 per arrival, −1 per read. Reset by each fresh count.
  const [countDelta, setCountDelta] = useState(0);
  const serverCount = countResult.data?.unreadNotificationCount;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a fresh server count (even an equal one) supersedes local changes
  useEffect(() => setCountDelta(0), [countResult.data]);

  const refresh = useRef(() => {});
  refresh.current = () => {
    refetchCount({ requestPolicy: 'network-only' });
    refetchList({ requestPolicy: 'network-only' });
  };

  useEffect(() => {
    const { unsubscribe } = client.subscription(NOTIFICATION_RECEIVED, {}).subscribe((result) => {
      const notification = result.data?.notificationReceived.notification;
      if (!notification) return;
      setArrived((prev) => [notification, ...prev.filter((n) => n.id !== notification.id)]);
      setLatest(notification);
      if (!notification.readAt) setCountDelta((d) => d + 1);
      refresh.current();
    });
    return unsubscribe;
  }, [client]);

  const items = useMemo(
    () => mergeNotifications(arrived, listResult.data?.notifications.edges.map((e) => e.node) ?? [], readAt),
    [arrived, listResult.data, readAt],
  );

  async function markRead(notification: Notification) {
    if (notification.readAt || readAt[notification.id]) return;
    setReadAt((r) => ({ ...r, [notification.id]: new Date().toISOString() }));
    setCountDelta((d) => d - 1);
    const res = await markNotificationRead({ id: notification.id });
    if (res.error) {
      // Not read after all: undo and let the server say what is true.
      setReadAt(({ [notification.id]: _, ...rest }) => rest);
    }
    refresh.current();
  }

  async function markAllRead() {
    await Promise.all(items.filter((n) => !n.readAt).map((n) => markRead(n)));
  }

  return {
    items,
    unread: Math.max(0, (serverCount ?? 0) + countDelta),
    fetching: listResult.fetching && !listResult.data,
    latest,
    dismissLatest: () => setLatest(null),
    markRead,
    markAllRead,
  };
}
