import { HttpResponse } from 'msw';
import { graphql } from 'msw/graphql';
import { setupServer } from 'msw/node';

/** The URL the client uses under jsdom (window.location is http://localhost/). */
export const GRAPHQL_URL = 'http://localhost/graphql';
export const api = graphql.link(GRAPHQL_URL);

/**
 * What signed-in screens ask for besides their own data (the header's
 * notification bell, the case view's live queue feed): nothing unread, no
 * notifications, no live events. Tests about them replace these with server.use().
 */
const quietHeader = [
  api.query('UnreadNotificationCount', () => HttpResponse.json({ data: { unreadNotificationCount: 0 } })),
  api.query('Notifications', () =>
    HttpResponse.json({
      data: { notifications: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
    }),
  ),
  api.subscription('NotificationReceived', () => {}),
  api.subscription('QueueChanged', () => {}),
];

/** Handlers are added per test with server.use(); resetHandlers() keeps the quiet header. */
export const server = setupServer(...quietHeader);
