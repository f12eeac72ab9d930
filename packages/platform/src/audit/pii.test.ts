import { describe, expect, it } from 'vitest';
import { MASK, MASKED_FIELDS, maskPii } from './pii.js';

describe('maskPii', () => {
  it('masks PII and secrets at any depth, in objects and arrays, case-insensitively', () => {
    const input = {
      applicationId: 'a-1',
      applicant: {
        firstName: 'Ada', lastName: 'Lovelace', Email: 'ada@example.com', phone: '+44 1', nationalId: 'AB123',
        employment: { employer: 'Analytical Engines Ltd', references: [{ fullName: 'C. Babbage', PHONE: '+44 2' }] },
      },
      headers: { authorization: 'Bearer x' },
      loan: { amount: 1000 },
    };
    expect(maskPii(input)).toEqual({
      applicationId: 'a-1',
      applicant: {
        firstName: MASK, lastName: MASK, Email: MASK, phone: MASK, nationalId: MASK,
        employment: { employer: 'Analytical Engines Ltd', references: [{ fullName: MASK, PHONE: MASK }] },
      },
      headers: { authorization: MASK },
      loan: { amount: 1000 },
    });
    // The input is untouched.
    expect(input.applicant.firstName).toBe('Ada');
  });

  it('masks a whole object or array held under a PII key', () => {
    expect(maskPii({ email: { primary: 'a@b.c' }, phone: ['1', '2'] })).toEqual({ email: MASK, phone: MASK });
  });

  it('keeps null and absent values (no email is a fact, not PII)', () => {
    expect(maskPii({ email: null, phone: undefined, lastName: '' })).toEqual({ email: null, phone: undefined, lastName: MASK });
  });

  it('masks extra fields only when asked (a user name, not a tenant name)', () => {
    expect(maskPii({ name: 'Acme Bank' })).toEqual({ name: 'Acme Bank' });
    expect(maskPii({ user: { name: 'Grace Hopper', role: 'admin' } }, ['name'])).toEqual({ user: { name: MASK, role: 'admin' } });
  });

  it('returns the same reference when nothing needed masking, and leaves leaves, dates and errors alone', () => {
    const clean = { a: 1, b: [{ c: 'x' }], at: new Date(0) };
    expect(maskPii(clean)).toBe(clean);
    expect(maskPii('ada@example.com')).toBe('ada@example.com');
    const err = new Error('boom');
    expect(maskPii({ err }).err).toBe(err);
  });

  it('survives cycles and repeated references', () => {
    const shared = { email: 'x@y.z' };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    const masked = maskPii(cyclic) as Record<string, unknown>;
    expect(masked.shared).toEqual({ email: MASK });
    expect(masked.again).toEqual({ email: MASK });
    expect(masked.self).toBe('[circular]');
  });

  it('turns a class instance with PII into plain masked data', () => {
    class Person {
      constructor(public firstName: string, public age: number) {}
    }
    expect(maskPii({ p: new Person('Ada', 36) })).toEqual({ p: { firstName: MASK, age: 36 } });
  });

  it('lists the PII the issue names and the credentials', () => {
    for (const f of ['email', 'phone', 'nationalId', 'firstName', 'lastName', 'password', 'clientSecret', 'authorization']) {
      expect(MASKED_FIELDS).toContain(f);
    }
  });
});
