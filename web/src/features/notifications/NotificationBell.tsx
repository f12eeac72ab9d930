import { useEffect, useRef, useState } from 'react';
import type { Notification } from '../../graphql/types';
import { useNow } from '../../lib/clock';
import { formatAgo, formatDateTime } from '../../lib/format';
import { navigate } from '../../lib/router';
import { applicantName, NOTIFICATION_KIND, notificationHref } from './notification-logic';
import { type NotificationsState, useNotifications } from './useNotifications';

const TOAST_MS = 8000;

/** The header's bell: unread count, a panel of recent notifications, a toast for each live arrival. */
export function NotificationBell() {
  const state = useNotifications();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  function openNotification(n: Notification) {
    void state.markRead(n);
    setOpen(false);
    state.dismissLatest();
    const href = notificationHref(n);
    if (href) navigate(href);
  }

  return (
    <div className="bell" ref={root}>
      <button
        type="button"
        className={open ? 'ghost bell-button open' : 'ghost bell-button'}
        onClick={() => setOpen((o) => !o)}
        aria-label={state.unread > 0 ? `Notifications, ${state.unread} unread` : 'Notifications'}
        aria-expanded={open}
        aria-haspopup="dialog"
        data-testid="notification-bell"
      >
        <BellIcon />
        {state.unread > 0 && (
          <span className="bell-count" data-testid="notification-unread">
            {state.unread > 99 ? '99+' : state.unread}
          </span>
        )}
      </button>
      {open && <NotificationPanel state={state} onOpen={openNotification} />}
      {state.latest && !open && (
        <NotificationToast key={state.latest.id} notification={state.latest} onOpen={openNotification} onDismiss={state.dismissLatest} />
      )}
    </div>
  );
}

function NotificationPanel({ state, onOpen }: { state: NotificationsState; onOpen: (n: Notification) => void }) {
  const now = useNow();
  return (
    <div className="bell-panel" role="dialog" aria-label="Notifications" data-testid="notification-panel">
      <div className="bell-panel-head">
        <strong>Notifications</strong>
        <span className="muted small">{state.unread} unread</span>
        <span className="spacer" />
        <button
          type="button"
          className="ghost small"
          onClick={() => void state.markAllRead()}
          disabled={state.unread === 0}
          data-testid="notifications-mark-all"
        >
          Mark all read
        </button>
      </div>
      {state.items.length === 0 ? (
        <div className="bell-empty" data-testid="notifications-empty">
          {state.fetching ? 'Loading…' : 'Nothing yet. SLA alerts, assignments and override reviews appear here.'}
        </div>
      ) : (
        <ul className="bell-list">
          {state.items.map((n) => {
            const kind = NOTIFICATION_KIND[n.kind] ?? { label: n.kind, tone: 'neutral' };
            const name = applicantName(n);
            return (
              <li
                key={n.id}
                className={n.readAt ? 'bell-item' : 'bell-item unread'}
                data-testid="notification-item"
                data-notification-id={n.id}
                data-kind={n.kind}
                data-read={n.readAt ? 'true' : 'false'}
              >
                <button type="button" className="bell-item-main" onClick={() => onOpen(n)} data-testid="notification-open">
                  <span className="bell-item-top">
                    <span className={`badge badge-${kind.tone}`}>{kind.label}</span>
                    {name && <span className="bell-item-case">{name}</span>}
                    <span className="spacer" />
                    <span className="muted small" title={formatDateTime(n.createdAt)}>
                      {formatAgo(n.createdAt, now)}
                    </span>
                  </span>
                  <span className="bell-item-message">{n.message}</span>
                </button>
                {!n.readAt && (
                  <button
                    type="button"
                    className="ghost small bell-mark"
                    onClick={() => void state.markRead(n)}
                    aria-label="Mark read"
                    title="Mark read"
                    data-testid="notification-mark-read"
                  >
                    <span className="unread-dot" aria-hidden="true" />
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function NotificationToast({ notification, onOpen, onDismiss }: { notification: Notification; onOpen: (n: Notification) => void; onDismiss: () => void }) {
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  // Keyed by notification id (see NotificationBell): each arrival gets its own full display time.
  useEffect(() => {
    const timer = setTimeout(() => dismiss.current(), TOAST_MS);
    return () => clearTimeout(timer);
  }, []);
  const kind = NOTIFICATION_KIND[notification.kind] ?? { label: notification.kind, tone: 'neutral' };
  return (
    <div className={`toast toast-${kind.tone}`} role="status" data-testid="notification-toast" data-kind={notification.kind}>
      <div className="toast-body">
        <span className={`badge badge-${kind.tone}`}>{kind.label}</span>
        <span>{notification.message}</span>
      </div>
      <div className="toast-actions">
        {notification.application && (
          <button type="button" className="small" onClick={() => onOpen(notification)} data-testid="toast-open">
            Open case
          </button>
        )}
        <button type="button" className="ghost small" onClick={onDismiss} aria-label="Dismiss">
          ✕
        </button>
      </div>
    </div>
  );
}

function BellIcon() {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
