import { graphql } from 'msw/graphql';
import { setupServer } from 'msw/node';

/** The URL the client uses under jsdom (window.location is http://localhost/). */
export const GRAPHQL_URL = 'http://localhost/graphql';
export const api = graphql.link(GRAPHQL_URL);

/** Handlers are added per test with server.use(). */
export const server = setupServer();
