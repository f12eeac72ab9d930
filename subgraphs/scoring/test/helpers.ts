import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ApplicationScored,
  type ApplicationSubmitted,
  type AuditRecorded,
  AuditTopic,
  type DecisionMade,
  type DecisionOutcome,
  type EventEnvelope,
  newEnvelope,
  type ScoringInput as SubmittedScoringInput,
  Topic,
} from '@tandem/platform';
import type { startSubgraphForTest } from '@tandem/platform/testing';
import { defaultModelsDir, modelVersionDir } from '../src/data/onnx-model.js';
import type { ScoringInput as ModelScoringInput } from '../src/domain/features.js';
import type { ScoringServices } from '../src/server.js';

export type TestSubgraph = Awaited<ReturnType<typeof startSubgraphForTest<ScoringServices>>>;

/** The logistic baseline: its artefacts are committed and stable, so tests register it explicitly. */
export const BASELINE_DIR = modelVersionDir(defaultModelsDir(), 'credit-default', '0.1.0');
export const readBaseline = (file: string) => readFileSync(join(BASELINE_DIR, file));

export interface TestVector {
  csvRow: number;
  input: ModelScoringInput;
  expected: { pd: number; features: number[] };
}
export const baselineVectors = (JSON.parse(readBaseline('test-vectors.json').toString('utf8')) as { vectors: TestVector[] }).vectors;

/** A model input as the applications subgraph publishes it, with protected attributes. */
export function submittedInput(
  input: ModelScoringInput,
  protectedAttributes: { ageYears?: number; maritalStatus?: string | null } = {},
): SubmittedScoringInput {
  return {
    monthlyIncome: input.monthlyIncome,
    monthlyExpenses: input.monthlyExpenses ?? 0,
    assets: input.assets,
    debt: input.debt,
    existingLoansMonthlyPayment: null,
    pastArrears: input.pastArrears,
    housing: input.housing,
    employmentType: input.employmentType,
    yearsEmployed: input.yearsEmployed,
    loanAmount: input.amount,
    termMonths: input.termMonths,
    purpose: 'CONSUMER_GOODS',
    goodsPrice: input.goodsPrice,
    ageYears: protectedAttributes.ageYears ?? 41,
    maritalStatus: protectedAttributes.maritalStatus === undefined ? 'SINGLE' : protectedAttributes.maritalStatus,
  };
}

/** Polls until `condition` holds (15 s at most); usable in hooks, where expect.poll is not. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const untyped = <T>(e: EventEnvelope<T>) => e as unknown as EventEnvelope;

/** Publishes an application.submitted and waits for its application.scored. */
export async function submitAndScore(sg: TestSubgraph, tenantId: string, input: SubmittedScoringInput): Promise<EventEnvelope<ApplicationScored>> {
  const applicationId = randomUUID();
  const event = newEnvelope<ApplicationSubmitted>('applications', Topic.ApplicationSubmitted, tenantId, {
    applicationId,
    externalId: `ext-${applicationId}`,
    submittedAt: new Date().toISOString(),
    input,
  });
  await sg.bus.publish(untyped(event));
  const scored = () =>
    sg.published.filter((e) => e.type === Topic.ApplicationScored && (e.payload as { applicationId?: string }).applicationId === applicationId);
  await until(() => scored().length === 1, `application.scored of ${applicationId}`);
  return scored()[0] as unknown as EventEnvelope<ApplicationScored>;
}

/** The audit.recorded entries the subgraph published for `entityType` in `tenantId`, oldest first. */
export const auditsOf = (sg: TestSubgraph, tenantId: string, entityType: string): AuditRecorded[] =>
  sg.published
    .filter((e) => e.type === AuditTopic.AuditRecorded && e.tenantId === tenantId && (e.payload as unknown as AuditRecorded).entityType === entityType)
    .map((e) => e.payload as unknown as AuditRecorded);

/** The decisions subgraph's DecisionMade for an application (by an analyst unless `automated`). */
export function decisionEvent(
  tenantId: string,
  applicationId: string,
  outcome: DecisionOutcome,
  decidedAt = new Date(),
  automated = false,
): EventEnvelope<DecisionMade> {
  return newEnvelope<DecisionMade>('decisions', Topic.DecisionMade, tenantId, {
    decisionId: randomUUID(),
    applicationId,
    outcome,
    automated,
    isOverride: false,
    overrideStatus: null,
    decidedBy: 'analyst-1',
    reviewSeconds: 60,
    decidedAt: decidedAt.toISOString(),
    withinSla: true,
  });
}

export async function publishDecision(
  sg: TestSubgraph,
  tenantId: string,
  applicationId: string,
  outcome: DecisionOutcome,
  decidedAt = new Date(),
  automated = false,
): Promise<void> {
  // Published as the decisions subgraph would.
  const event = decisionEvent(tenantId, applicationId, outcome, decidedAt, automated);
  await sg.bus.publish(untyped(event));
}

export const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterModelVersionInput!) {
    registerModelVersion(input: $input) { name version status sha256 maxPdDifference hasReference registeredBy features }
  }`;
export const PROMOTE = /* GraphQL */ `
  mutation Promote($name: String!, $version: String!) {
    promoteModelVersion(name: $name, version: $version) { name championVersion challengerVersion servingVersion previousChampions }
  }`;
