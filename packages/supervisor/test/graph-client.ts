import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A tiny GraphQL client for tests and the bench: HTTP POST and graphql-ws, against the gateway. */
export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } };
}

export function wsClient(url: string, token: string): Client {
  return createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false, retryAttempts: 0 });
}

/** Collects a subscription's payloads until told to stop. */
export function collect<T>(client: Client, query: string) {
  const items: T[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<T>({ query }, { next: (v) => v.data && items.push(v.data as T), error: (e) => errors.push(e), complete: () => {} });
  return { items, errors, stop };
}

export async function login(url: string, email: string, password = 'tandem-demo'): Promise<string> {
  const r = await gql(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: email, p: password });
  if (!r.body.data) throw new Error(`login failed: ${JSON.stringify(r.body.errors)}`);
  return r.body.data.login.accessToken;
}

export async function partnerToken(baseUrl: string, clientId = 'demo-partner', secret = 'tandem-demo-secret'): Promise<string> {
  const res = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
  if (!res.ok) throw new Error(`token failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function until<T>(fn: () => Promise<T | undefined | null | false>, ms = 20_000, every = 100): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out${last ? `: ${String(last)}` : ''}`);
}
