import { describe, expect, it } from 'vitest';
import { diffValues, maskChanges } from './diff.js';
import { MASK } from './pii.js';

describe('diffValues', () => {
  it('lists added, removed and changed paths in key order, nested and in arrays', () => {
    const before = { status: 'REVIEW', loan: { amount: 1000, term: 12 }, tags: ['a', 'b'], note: 'x', assignee: null };
    const after = { status: 'APPROVED', loan: { amount: 1200, term: 12, purpose: 'CAR' }, tags: ['a', 'c', 'd'], assignee: 'u-1' };
    expect(diffValues(before, after)).toEqual([
      { path: 'assignee', kind: 'CHANGED', from: null, to: 'u-1' },
      { path: 'loan.amount', kind: 'CHANGED', from: 1000, to: 1200 },
      { path: 'loan.purpose', kind: 'ADDED', to: 'CAR' },
      { path: 'note', kind: 'REMOVED', from: 'x' },
      { path: 'status', kind: 'CHANGED', from: 'REVIEW', to: 'APPROVED' },
      { path: 'tags[1]', kind: 'CHANGED', from: 'b', to: 'c' },
      { path: 'tags[2]', kind: 'ADDED', to: 'd' },
    ]);
  });

  it('is empty for equal values, including equal dates and nested arrays of objects', () => {
    const v = () => ({ at: new Date('2025-01-01T00:00:00Z'), items: [{ a: 1, b: [true, null] }], zero: 0 });
    expect(diffValues(v(), v())).toEqual([]);
    expect(diffValues({ zero: 0 }, { zero: -0 })).toEqual([]);
    expect(diffValues(null, null)).toEqual([]);
  });

  it('lists every key of a created or deleted object', () => {
    expect(diffValues(null, { id: '1', status: 'PENDING' })).toEqual([
      { path: 'id', kind: 'ADDED', to: '1' },
      { path: 'status', kind: 'ADDED', to: 'PENDING' },
    ]);
    expect(diffValues({ id: '1' }, undefined)).toEqual([{ path: 'id', kind: 'REMOVED', from: '1' }]);
  });

  it('records a change of type as one change at that path', () => {
    expect(diffValues({ a: { b: 1 } }, { a: 'flat' })).toEqual([{ path: 'a', kind: 'CHANGED', from: { b: 1 }, to: 'flat' }]);
    expect(diffValues({ a: [1] }, { a: null })).toEqual([{ path: 'a', kind: 'CHANGED', from: [1], to: null }]);
    expect(diffValues('x', 'y')).toEqual([{ path: '', kind: 'CHANGED', from: 'x', to: 'y' }]);
    expect(diffValues({ at: new Date('2025-01-01T00:00:00Z') }, { at: new Date('2025-01-02T00:00:00Z') })).toEqual([
      { path: 'at', kind: 'CHANGED', from: '2025-01-01T00:00:00.000Z', to: '2025-01-02T00:00:00.000Z' },
    ]);
  });
});

describe('maskChanges', () => {
  it('keeps the fact that PII changed but masks both sides, and masks PII inside other values', () => {
    const changes = diffValues(
      { applicant: { email: 'old@x.io', city: 'Oslo' }, contacts: [{ phone: '1' }] },
      { applicant: { email: 'new@x.io', city: 'Bergen' }, contacts: [{ phone: '2' }], guarantor: { lastName: 'Doe', income: 10 } },
    );
    expect(maskChanges(changes)).toEqual([
      { path: 'applicant.city', kind: 'CHANGED', from: 'Oslo', to: 'Bergen' },
      { path: 'applicant.email', kind: 'CHANGED', from: MASK, to: MASK },
      { path: 'contacts[0].phone', kind: 'CHANGED', from: MASK, to: MASK },
      { path: 'guarantor', kind: 'ADDED', to: { lastName: MASK, income: 10 } },
    ]);
  });

  it('keeps null sides null and honours extra fields', () => {
    expect(maskChanges([{ path: 'name', kind: 'CHANGED', from: null, to: 'Grace' }], ['name'])).toEqual([
      { path: 'name', kind: 'CHANGED', from: null, to: MASK },
    ]);
  });
});
