import { createServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { freePort } from './embedded-postgres.js';

const listenOn = (port: number) =>
  new Promise<() => Promise<void>>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(() => new Promise((r) => server.close(() => r()))));
  });

describe('freePort', () => {
  it('hands out ports below the ephemeral range that can be listened on', async () => {
    const ports = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(32_768);
      await (await listenOn(port))();
    }
  });

  it('gives the preferred port when it is free, and another free one when it is taken', async () => {
    const taken = await freePort();
    const close = await listenOn(taken);
    try {
      const other = await freePort(taken);
      expect(other).not.toBe(taken);
      await (await listenOn(other))();
    } finally {
      await close();
    }
    expect(await freePort(taken)).toBe(taken);
  });

  it('never hands out the same random port twice, though it is still free', async () => {
    // The same random draw twice: the second pick must move on.
    const random = vi.spyOn(Math, 'random').mockReturnValueOnce(0.5).mockReturnValueOnce(0.5);
    try {
      const first = await freePort();
      const second = await freePort();
      expect(second).not.toBe(first);
      await (await listenOn(first))();
    } finally {
      random.mockRestore();
    }
  });
});
