import { randomUUID } from 'node:crypto';
import { type ApplicationScored, type DecisionMade, newEnvelope, Topic } from '@tandem/platform';

/** Events as scoring and decisions publish them, for the queue's workflow tests. */

/** A score that sends its application to review, with whatever the test changes. */
export const scoredPayload = (applicationId: string, over: Partial<ApplicationScored> = {}): ApplicationScored => ({
  applicationId,
  scoreId: randomUUID(),
  modelVersion: '0.1.0',
  probabilityOfDefault: 0.3,
  score: 580,
  riskBand: 'D',
  route: 'HUMAN_REVIEW',
  routeReason: 'PD 30.0% is between the auto-approve (14.5%) and auto-decline (63.5%) thresholds',
  modelRecommendation: 'REVIEW',
  reasonCodes: [],
  loanAmount: 12_000,
  termMonths: 36,
  submittedAt: new Date().toISOString(),
  scoredAt: new Date().toISOString(),
  ...over,
});

export const scoredEvent = (tenant: string, applicationId: string, over: Partial<ApplicationScored> = {}) =>
  newEnvelope('scoring', Topic.ApplicationScored, tenant, scoredPayload(applicationId, over));

/** An analyst's (ana's) decision on the application, approving unless the test says otherwise. */
export const decisionEvent = (tenant: string, applicationId: string, over: Partial<DecisionMade> = {}) =>
  newEnvelope<DecisionMade>('decisions', Topic.DecisionMade, tenant, {
    decisionId: randomUUID(),
    applicationId,
    outcome: 'APPROVED',
    automated: false,
    isOverride: false,
    overrideStatus: null,
    decidedBy: 'ana',
    reviewSeconds: 300,
    decidedAt: new Date().toISOString(),
    withinSla: true,
    ...over,
  });
