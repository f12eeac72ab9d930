import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { DecisionOutcome } from '@tandem/platform';
import type { OverrideDirection, OverrideStatus, ReasonCode, ScoreSnapshot } from '../domain/decision-rules.js';

/** The score snapshot as stored with a decision (dates as ISO strings inside jsonb). */
export type StoredScoreSnapshot = Omit<ScoreSnapshot, 'scoredAt'> & { scoredAt: string };

/**
 * A decision on an application, automated or human. It keeps the model
 * version and the score it was made against: a regulator asks what the
 * analyst saw, not what the model says today. At most one final decision
 * per application (partial unique index in the migration).
 */
@Entity({ tableName: 'decisions' })
@Index({ properties: ['tenantId', 'applicationId', 'decidedAt'] })
export class DecisionRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  /** Owned by the applications subgraph; kept as text, its format is not ours to assume. */
  @Property({ type: 'text' })
  applicationId!: string;

  @Property({ type: 'text' })
  outcome!: DecisionOutcome;

  @Property({ type: 'text', nullable: true })
  reasoning?: string | null;

  /** The conditions' descriptions, in order (the typed conditions with their fulfilment are ConditionRecords). */
  @Property({ type: 'jsonb' })
  conditions!: string[];

  @Property({ type: 'numeric', precision: 14, scale: 2, nullable: true })
  approvedAmount?: string | null;

  @Property({ type: 'integer', nullable: true })
  approvedTermMonths?: number | null;

  /** The annuity instalment of the approved terms at the nominal rate (domain/instalment.ts). */
  @Property({ type: 'numeric', precision: 14, scale: 2, nullable: true })
  monthlyInstalment?: string | null;

  @Property({ type: 'jsonb', nullable: true })
  documentsChecklist?: string[] | null;

  @Property({ type: 'timestamptz', nullable: true })
  documentsDueAt?: Date | null;

  /** When the partner answered this documents request (submitDocuments). */
  @Property({ type: 'timestamptz', nullable: true })
  documentsAnsweredAt?: Date | null;

  @Property({ type: 'boolean' })
  isOverride!: boolean;

  @Property({ type: 'text', nullable: true })
  overrideDirection?: OverrideDirection | null;

  @Property({ type: 'text', nullable: true })
  overrideStatus?: OverrideStatus | null;

  @Property({ type: 'text', nullable: true })
  overrideJustification?: string | null;

  /** The senior analyst who approved or rejected the override. */
  @Property({ type: 'text', nullable: true })
  overrideReviewedBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  overrideReviewedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  overrideRejectionReason?: string | null;

  @Property({ type: 'boolean' })
  automated!: boolean;

  /** The deciding user's id (identity's User); null for the routing policy. */
  @Property({ type: 'text', nullable: true })
  decidedBy?: string | null;

  @Property({ type: 'timestamptz' })
  decidedAt!: Date;

  @Property({ type: 'integer', nullable: true })
  reviewSeconds?: number | null;

  @Property({ type: 'boolean', nullable: true })
  withinSla?: boolean | null;

  @Property({ type: 'text', nullable: true })
  modelVersion?: string | null;

  @Property({ type: 'jsonb', nullable: true })
  scoreSnapshot?: StoredScoreSnapshot | null;

  @Property({ type: 'jsonb' })
  reasonCodes!: ReasonCode[];

  /**
   * Whether this decision settles the application: everything but
   * DOCUMENTS_REQUESTED, until a rejected override or a contest reopens it.
   */
  @Property({ type: 'boolean' })
  final!: boolean;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
