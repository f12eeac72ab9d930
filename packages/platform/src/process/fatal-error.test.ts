import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeFatal } from './fatal-error.js';

const listenError = async (): Promise<unknown> => {
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
  const port = (holder.address() as { port: number }).port;
  try {
    return await new Promise((resolve, reject) => {
      const second = createServer();
      second.once('error', resolve);
      second.listen(port, '127.0.0.1', () => second.close(() => reject(new Error('the second listen succeeded'))));
    });
  } finally {
    holder.close();
  }
};

describe('describeFatal', () => {
  it('names the port in use and the settings that move it, from a real EADDRINUSE', async () => {
    const err = (await listenError()) as { port: number };
    const report = describeFatal(err);
    expect(report.message).toBe(
      `port ${err.port} on 127.0.0.1 is already in use: stop what holds it, or choose another with PORT, <SUBGRAPH>_PORT or EMBEDDED_POSTGRES_PORT`,
    );
    // `host`, not `address`: the logs mask an `address` as personal data.
    expect(report.fields).toEqual({ code: 'EADDRINUSE', host: '127.0.0.1', port: err.port });
  });

  it('says where a refused connection went', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 5432 });
    expect(describeFatal(err).message).toBe('127.0.0.1:5432 refused the connection: is the database (DATABASE_URL) or Redis (REDIS_URL) running there?');
  });

  it('keeps any other error whole for the logs', () => {
    const err = new TypeError('a bug');
    expect(describeFatal(err)).toEqual({ message: 'stopped by an error nothing handled', fields: { err } });
    expect(describeFatal(undefined).fields).toEqual({ err: undefined });
  });
});
