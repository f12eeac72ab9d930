import { createRevocationList, InProcessBus, issueAccessToken, loadConfig, permissionsForRole, RedisRevocationList, type TandemConfig } from '@tandem/platform';
import type {} from '@tandem/platform/testing'; // inject('redisUrl')
import { afterEach, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningGateway, startGateway } from '../src/gateway-server.js';

/**
 * An open graphql-ws connection lives no longer than its session: a logout
 * (identity revokes the session in the revocation list, exactly as done here)
 * closes it with 4401 within a second or two, on every gateway process when
 * the list is in Redis; so does its access token's expiry. Real gateways
 * (startGateway, no subgraph needed to connect and subscribe).
 */
const QUERY = 'subscription { queueChanged { kind entry { id } } }';

let cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function gatewayWith(config: TandemConfig): Promise<RunningGateway> {
  const bus = new InProcessBus();
  const gateway = await startGateway({ config, bus, port: 0, host: '127.0.0.1' });
  cleanups.push(() => gateway.stop());
  return gateway;
}

const tokenFor = (config: TandemConfig, sessionId: string, ttlSeconds = 600) =>
  issueAccessToken(
    { sub: `user-${sessionId}`, tenantId: 'demo', kind: 'user', role: 'analyst', permissions: permissionsForRole('analyst'), sessionId },
    config.jwtSecret,
    ttlSeconds,
  );

/** Connects, subscribes, and resolves once the gateway acknowledged the connection. */
async function subscriber(gateway: RunningGateway, token: string) {
  const socket = new WebSocket(`ws://127.0.0.1:${gateway.port}/graphql`, 'graphql-transport-ws');
  cleanups.push(() => socket.terminate());
  const closed = new Promise<{ code: number; reason: string; at: number }>((r) =>
    socket.on('close', (code, reason) => r({ code, reason: String(reason), at: Date.now() })),
  );
  const acked = new Promise<void>((resolve, reject) => {
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type: string };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
        resolve();
      }
    });
    socket.on('close', (code) => reject(new Error(`closed before ack: ${code}`)));
  });
  socket.on('error', () => {});
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await acked;
  return { socket, closed };
}

const stillOpenAfter = async (socket: WebSocket, ms: number) => {
  await new Promise((r) => setTimeout(r, ms));
  return socket.readyState === WebSocket.OPEN;
};

describe('a live connection ends with its session', () => {
  it("logout on one gateway closes the session's sockets on every gateway sharing Redis (4401), and no one else's", async () => {
    const redisUrl = inject('redisUrl');
    const config = loadConfig({ TANDEM_MODE: 'demo', REDIS_URL: redisUrl });
    const [a, b] = [await gatewayWith(config), await gatewayWith(config)];
    const session = `s-${Date.now()}`;
    const token = await tokenFor(config, session);
    const onA = await subscriber(a, token);
    const onB = await subscriber(b, token);
    const otherSession = await subscriber(b, await tokenFor(config, `${session}-other`));

    // What identity's logout does (with Redis, its list is this one).
    const identityList = new RedisRevocationList(redisUrl);
    cleanups.push(() => identityList.close());
    const loggedOutAt = Date.now();
    await identityList.revokeSession(session, 60);

    for (const side of [onA, onB]) {
      const { code, reason, at } = await side.closed;
      expect(code).toBe(4401);
      expect(reason).toMatch(/session ended/i);
      expect(at - loggedOutAt).toBeLessThan(2_500);
    }
    expect(await stillOpenAfter(otherSession.socket, 1_200)).toBe(true);
  });

  it('logout closes the sockets without Redis too (one process: identity and the gateway share the list)', async () => {
    const config = loadConfig({ TANDEM_MODE: 'demo' });
    const gateway = await gatewayWith(config);
    const session = `s-mem-${Date.now()}`;
    const open = await subscriber(gateway, await tokenFor(config, session));
    const loggedOutAt = Date.now();
    await createRevocationList().revokeSession(session, 60);
    const { code, at } = await open.closed;
    expect(code).toBe(4401);
    expect(at - loggedOutAt).toBeLessThan(2_500);
  });

  it('closes a socket when its access token expires (4401), and refuses the token afterwards (4403)', async () => {
    const config = loadConfig({ TANDEM_MODE: 'demo' });
    const gateway = await gatewayWith(config);
    const token = await tokenFor(config, `s-exp-${Date.now()}`, 2);
    const open = await subscriber(gateway, token);
    const { code, reason } = await open.closed;
    expect(code).toBe(4401);
    expect(reason).toMatch(/expired/i);
    await expect(subscriber(gateway, token)).rejects.toThrow(/4403/);
  });
});
