import { describe, expect, it } from 'vitest';
import { planAutoAssignments } from './auto-assign.js';

const t = (iso: string) => new Date(iso);

describe('auto-assign plan', () => {
  it('gives each due case to the least-loaded analyst, balancing as it goes', () => {
    const plan = planAutoAssignments(
      ['c1', 'c2', 'c3', 'c4'],
      [
        { analystId: 'ana', activeCases: 3, lastAssignedAt: null },
        { analystId: 'bob', activeCases: 1, lastAssignedAt: null },
        { analystId: 'cem', activeCases: 2, lastAssignedAt: null },
      ],
    );
    expect(plan).toEqual([
      { entryId: 'c1', analystId: 'bob' }, // 1 → 2
      { entryId: 'c2', analystId: 'cem' }, // tie at 2: cem was not just given one
      { entryId: 'c3', analystId: 'bob' }, // bob 2, cem 3, ana 3
      { entryId: 'c4', analystId: 'ana' }, // all at 3: ana has waited longest
    ]);
  });

  it('breaks ties by who was given a case longest ago', () => {
    const plan = planAutoAssignments(
      ['c1'],
      [
        { analystId: 'ana', activeCases: 1, lastAssignedAt: t('2026-03-02T10:00:00Z') },
        { analystId: 'bob', activeCases: 1, lastAssignedAt: t('2026-03-02T09:00:00Z') },
      ],
    );
    expect(plan).toEqual([{ entryId: 'c1', analystId: 'bob' }]);
  });

  it('never goes beyond the cap of 5 and stops when nobody has room', () => {
    const plan = planAutoAssignments(
      ['c1', 'c2', 'c3'],
      [
        { analystId: 'ana', activeCases: 5, lastAssignedAt: null },
        { analystId: 'bob', activeCases: 4, lastAssignedAt: null },
      ],
    );
    expect(plan).toEqual([{ entryId: 'c1', analystId: 'bob' }]);
    expect(planAutoAssignments(['c1'], [])).toEqual([]);
  });
});
