import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { ConditionKind } from '../domain/decision-rules.js';
import type { SubmittedDocument } from '../domain/decision-workflow.js';
import type { StoredScoreSnapshot } from './decision.entity.js';

/** One condition of an approval, typed, and whether it has been met. */
@Entity({ tableName: 'decision_conditions' })
@Index({ properties: ['tenantId', 'decisionId'] })
export class ConditionRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'uuid' })
  decisionId!: string;

  /** Order as the analyst gave them. */
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'text' })
  kind!: ConditionKind;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'numeric', precision: 14, scale: 2, nullable: true })
  amount?: string | null;

  @Property({ type: 'integer', nullable: true })
  termMonths?: number | null;

  @Property({ type: 'timestamptz', nullable: true })
  fulfilledAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  fulfilledBy?: string | null;
}

/** A partner's answer to a documents request (one per request). */
@Entity({ tableName: 'document_submissions' })
export class DocumentSubmissionRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  applicationId!: string;

  /** The DOCUMENTS_REQUESTED decision this answers. */
  @Property({ type: 'uuid' })
  requestDecisionId!: string;

  @Property({ type: 'jsonb' })
  documents!: SubmittedDocument[];

  /** The API client that submitted them. */
  @Property({ type: 'text' })
  submittedBy!: string;

  @Property({ type: 'timestamptz' })
  submittedAt!: Date;
}

/** A contest of an automated decision, kept with the evidence the decision was made on. */
@Entity({ tableName: 'decision_contests' })
export class ContestRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  applicationId!: string;

  @Property({ type: 'uuid' })
  decisionId!: string;

  @Property({ type: 'text' })
  statement!: string;

  @Property({ type: 'text' })
  contestedBy!: string;

  @Property({ type: 'timestamptz' })
  contestedAt!: Date;

  @Property({ type: 'text', nullable: true })
  modelVersion?: string | null;

  @Property({ type: 'jsonb', nullable: true })
  scoreSnapshot?: StoredScoreSnapshot | null;
}

/** Where an API client wants its webhooks, and the secret they are signed with (needed in clear to sign). */
@Entity({ tableName: 'webhook_endpoints' })
export class WebhookEndpointRecord {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @PrimaryKey({ type: 'text' })
  clientId!: string;

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'text' })
  secret!: string;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}

export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'DEAD';

/** One webhook to one client: written with the change it reports, retried until delivered or dead-lettered. */
@Entity({ tableName: 'webhook_deliveries' })
export class WebhookDeliveryRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  clientId!: string;

  @Property({ type: 'text' })
  eventType!: string;

  /** The exact bytes sent (and signed) on every attempt. */
  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'text' })
  status!: WebhookDeliveryStatus;

  @Property({ type: 'integer' })
  attempts!: number;

  @Property({ type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Property({ type: 'integer', nullable: true })
  lastStatusCode?: number | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  deadAt?: Date | null;
}
