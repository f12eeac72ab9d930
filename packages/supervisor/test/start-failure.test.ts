import { createServer, type Server } from 'node:net';
import { InProcessBus, loadConfig } from '@tandem/platform';
import { createTestDatabase } from '@tandem/platform/testing';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startTandem } from '../src/tandem.js';

describe('a start-up that fails part-way', () => {
  let holder: Server | undefined;
  afterAll(() => new Promise<void>((done) => (holder ? holder.close(() => done()) : done())));

  it('stops what it started: no subgraph keeps a connection to the database', async () => {
    // The gateway is started last, after every subgraph and its relay: its port is taken.
    holder = createServer();
    await new Promise<void>((listening) => holder!.listen(0, '127.0.0.1', listening));
    const port = (holder.address() as { port: number }).port;
    const databaseUrl = await createTestDatabase(inject('databaseUrl'));
    const database = new URL(databaseUrl).pathname.slice(1);

    await expect(
      startTandem({ config: loadConfig({ TANDEM_MODE: 'demo' }), databaseUrl, bus: new InProcessBus(), gatewayPort: port, subgraphPortsFromZero: true }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });

    const observer = new pg.Client({ connectionString: inject('databaseUrl') });
    await observer.connect();
    try {
      const { rows } = await observer.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
      expect(rows[0]!.n).toBe(0);
    } finally {
      await observer.end();
    }
  });
});
