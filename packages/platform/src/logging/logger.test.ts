import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MASK } from '../audit/pii.js';
import { loggerTo } from './logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: loggerTo(stream, 'info'), lines };
}

describe('logger', () => {
  it('masks PII nested at any depth, not only the first level', () => {
    const { log, lines } = capture();
    log.warn(
      {
        applicationId: 'a-1',
        email: 'top@example.com',
        request: { body: { input: { applicant: { firstName: 'Ada', lastName: 'Lovelace', nationalId: 'AB1', contacts: [{ phone: '+44 1' }] } } } },
        headers: { Authorization: 'Bearer abc' },
      },
      'nested pii',
    );
    expect(lines).toHaveLength(1);
    const text = JSON.stringify(lines[0]);
    for (const secret of ['top@example.com', 'Ada', 'Lovelace', 'AB1', '+44 1', 'Bearer abc']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      applicationId: 'a-1',
      email: MASK,
      request: { body: { input: { applicant: { firstName: MASK, lastName: MASK, nationalId: MASK, contacts: [{ phone: MASK }] } } } },
      headers: { Authorization: MASK },
      msg: 'nested pii',
    });
  });

  it('still serialises errors (type, message, stack)', () => {
    const { log, lines } = capture();
    log.error({ err: new Error('boom'), job: 'x' }, 'failed');
    expect(lines[0].err).toMatchObject({ type: 'Error', message: 'boom' });
    expect(String((lines[0].err as { stack: string }).stack)).toContain('boom');
  });

  it('masks PII in child bindings objects logged later too', () => {
    const { log, lines } = capture();
    log.child({ component: 'test' }).info({ user: { email: 'u@x.io', role: 'analyst' } }, 'login');
    expect(lines[0]).toMatchObject({ component: 'test', user: { email: MASK, role: 'analyst' } });
  });
});
