import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assess } from './assessment.js';
import { explain } from './explanation.js';
import { extractFeatures, type ModelCard, type ScoringInput } from './features.js';
import { REASON_CODES } from './reason-codes.js';
import type { RoutingPolicy } from './routing.js';

const versionDir = new URL('../../../../models/credit-default/0.1.0/', import.meta.url);
const card = JSON.parse(readFileSync(new URL('model-card.json', versionDir), 'utf8')) as ModelCard;
const vectors = (
  JSON.parse(readFileSync(new URL('test-vectors.json', versionDir), 'utf8')) as {
    vectors: { csvRow: number; input: ScoringInput; expected: { pd: number; scorePoints: number; riskBand: string } }[];
  }
).vectors;
const policy: RoutingPolicy = { autoApproveBelow: card.thresholds.autoApprove, autoDeclineAbove: card.thresholds.autoDecline, maxAutoAmount: 50_000 };

function assessVector(csvRow: number, p: RoutingPolicy = policy) {
  const tv = vectors.find((v) => v.csvRow === csvRow);
  if (!tv) throw new Error(`no test vector ${csvRow}`);
  const features = extractFeatures(tv.input, card);
  return { tv, assessment: assess(tv.expected.pd, features, card, p, { amount: tv.input.amount, termMonths: tv.input.termMonths }) };
}

describe('assess', () => {
  it('scores, bands and routes a PD as the model card says, for every test vector', () => {
    for (const tv of vectors) {
      const { assessment } = assessVector(tv.csvRow);
      expect(assessment.probabilityOfDefault).toBe(tv.expected.pd);
      expect(assessment.score).toBe(Math.round(tv.expected.scorePoints));
      expect(assessment.riskBand).toBe(tv.expected.riskBand);
      const expected = tv.expected.pd < policy.autoApproveBelow ? 'APPROVE' : tv.expected.pd > policy.autoDeclineAbove ? 'DECLINE' : 'REVIEW';
      expect(assessment.modelRecommendation, `row ${tv.csvRow}`).toBe(expected);
    }
  });

  it('lists the risk-raising factors first, strongest first, then the risk-lowering ones', () => {
    const { assessment } = assessVector(3248);
    const impacts = assessment.topFactors.map((f) => f.impact);
    const raising = impacts.filter((i) => i > 0);
    const lowering = impacts.filter((i) => i < 0);
    expect(raising.length).toBeGreaterThan(0);
    expect(raising.length).toBeLessThanOrEqual(5);
    expect(lowering.length).toBeLessThanOrEqual(5);
    expect(impacts).toEqual([...raising, ...lowering]);
    expect(raising).toEqual([...raising].sort((a, b) => b - a));
    expect(lowering).toEqual([...lowering].sort((a, b) => a - b));
  });

  it('explains exactly the logit of the PD it was given', () => {
    const { tv, assessment } = assessVector(966);
    const e = explain(extractFeatures(tv.input, card).modelInput, card);
    expect(Math.abs(e.pd - assessment.probabilityOfDefault)).toBeLessThan(1e-9);
  });

  it('gives a declined applicant 1–4 known reason codes', () => {
    const { assessment } = assessVector(3248);
    expect(assessment.route).toBe('AUTO_DECLINE');
    expect(assessment.reasonCodes.length).toBeGreaterThanOrEqual(1);
    expect(assessment.reasonCodes.length).toBeLessThanOrEqual(4);
    for (const r of assessment.reasonCodes) expect(r.description).toBe(REASON_CODES[r.code as keyof typeof REASON_CODES]);
  });

  it('sends a clear case outside the automation envelope to a human, keeping what the score says', () => {
    const { assessment } = assessVector(2509, { ...policy, maxAutoAmount: 100 });
    expect(assessment.route).toBe('HUMAN_REVIEW');
    expect(assessment.modelRecommendation).toBe('APPROVE');
    expect(assessment.routeReason).toMatch(/exceeds the automatic-decision limit 100/);
  });
});
