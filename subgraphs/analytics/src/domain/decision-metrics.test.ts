import { describe, expect, it } from 'vitest';
import { decisionMetrics, outcomeBreakdown, rateOrNull, rateOrZero, type DashboardCounts } from './decision-metrics.js';

const counts = (overrides: Partial<DashboardCounts> = {}): DashboardCounts => ({
  applications: 0,
  pendingReview: 0,
  decisions: 0,
  automatedDecisions: 0,
  humanDecisions: 0,
  approvals: 0,
  overrides: 0,
  humanDecisionsWithReviewTime: 0,
  humanReviewSecondsTotal: 0,
  humanDecisionsWithSlaResult: 0,
  humanDecisionsWithinSla: 0,
  byRiskBand: [],
  byOutcome: [],
  ...overrides,
});

describe('rates', () => {
  it('divide part by whole', () => {
    expect(rateOrNull(1, 4)).toBe(0.25);
    expect(rateOrZero(3, 3)).toBe(1);
  });
  it('are null or 0 when the whole is 0', () => {
    expect(rateOrNull(0, 0)).toBeNull();
    expect(rateOrZero(0, 0)).toBe(0);
  });
});

describe('decisionMetrics', () => {
  it('derives every rate from the counts', () => {
    const m = decisionMetrics(
      counts({
        applications: 10,
        pendingReview: 2,
        decisions: 8,
        automatedDecisions: 5,
        humanDecisions: 3,
        approvals: 6,
        overrides: 1,
        humanDecisionsWithReviewTime: 3,
        humanReviewSecondsTotal: 600 + 300 + 150,
        humanDecisionsWithSlaResult: 3,
        humanDecisionsWithinSla: 2,
      }),
    );
    expect(m).toMatchObject({
      totalApplications: 10,
      pendingReview: 2,
      decisions: 8,
      automatedDecisions: 5,
      humanDecisions: 3,
      autoDecisionRate: 5 / 8,
      approvalRate: 6 / 8,
      overrideRate: 1 / 8,
      averageReviewSeconds: 350,
      slaComplianceRate: 2 / 3,
    });
  });

  it('with no decisions: decision rates are 0, human-review figures are null', () => {
    const m = decisionMetrics(counts({ applications: 4, pendingReview: 4 }));
    expect(m.autoDecisionRate).toBe(0);
    expect(m.approvalRate).toBe(0);
    expect(m.overrideRate).toBe(0);
    expect(m.averageReviewSeconds).toBeNull();
    expect(m.slaComplianceRate).toBeNull();
  });

  it('with only automated decisions: human-review figures stay null', () => {
    const m = decisionMetrics(counts({ applications: 2, decisions: 2, automatedDecisions: 2, approvals: 1 }));
    expect(m.autoDecisionRate).toBe(1);
    expect(m.approvalRate).toBe(0.5);
    expect(m.averageReviewSeconds).toBeNull();
    expect(m.slaComplianceRate).toBeNull();
  });

  it('averages review time and SLA compliance only over human decisions that report them', () => {
    const m = decisionMetrics(
      counts({ decisions: 3, humanDecisions: 3, humanDecisionsWithReviewTime: 2, humanReviewSecondsTotal: 90, humanDecisionsWithSlaResult: 2, humanDecisionsWithinSla: 0 }),
    );
    expect(m.averageReviewSeconds).toBe(45);
    expect(m.slaComplianceRate).toBe(0);
  });

  it('orders risk bands by name', () => {
    const m = decisionMetrics(
      counts({
        byRiskBand: [
          { riskBand: 'C', applications: 1, approved: 0, declined: 1 },
          { riskBand: 'A', applications: 2, approved: 2, declined: 0 },
        ],
      }),
    );
    expect(m.byRiskBand.map((b) => b.riskBand)).toEqual(['A', 'C']);
  });
});

describe('outcomeBreakdown', () => {
  it('lists every known outcome, zero when absent, then unknown ones', () => {
    expect(outcomeBreakdown([{ outcome: 'ZZ_NEW', count: 1 }, { outcome: 'DECLINED', count: 3 }, { outcome: 'AA_NEW', count: 2 }])).toEqual([
      { outcome: 'APPROVED', count: 0 },
      { outcome: 'APPROVED_WITH_CONDITIONS', count: 0 },
      { outcome: 'DECLINED', count: 3 },
      { outcome: 'DOCUMENTS_REQUESTED', count: 0 },
      { outcome: 'AA_NEW', count: 2 },
      { outcome: 'ZZ_NEW', count: 1 },
    ]);
  });
});
