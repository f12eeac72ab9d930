import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { ModelRecommendation, QueueEntryStatus } from '@tandem/platform';

/**
 * A case waiting for (or under) human review. At most one open (not
 * COMPLETED) entry per application and tenant: a partial unique index in the
 * migration holds that line (indexes live in the hand-written migrations).
 */
@Entity({ tableName: 'queue_entries' })
export class QueueEntryRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'uuid' })
  applicationId!: string;

  @Property({ type: 'text' })
  status!: QueueEntryStatus;

  /** 0–100, see domain/priority.ts; refreshed while the case waits. */
  @Property({ type: 'integer' })
  priority!: number;

  /** When the priority of a waiting case next goes up (null: never again); the refresh job reads only cases past it. */
  @Property({ type: 'timestamptz', nullable: true })
  priorityRisesAt?: Date | null;

  @Property({ type: 'double' })
  probabilityOfDefault!: number;

  /** The routing thresholds the case was routed by (null for cases queued before they were carried). */
  @Property({ type: 'double', nullable: true })
  autoApproveBelow?: number | null;

  @Property({ type: 'double', nullable: true })
  autoDeclineAbove?: number | null;

  @Property({ type: 'text' })
  routeReason!: string;

  @Property({ type: 'text' })
  modelRecommendation!: ModelRecommendation;

  @Property({ type: 'numeric', precision: 14, scale: 2 })
  loanAmount!: string;

  @Property({ type: 'timestamptz' })
  slaDeadline!: Date;

  /** From here the case is APPROACHING its deadline (the tenant's warning window). */
  @Property({ type: 'timestamptz' })
  slaWarningAt!: Date;

  /** Still open at this time: escalated. */
  @Property({ type: 'timestamptz' })
  slaEscalateAt!: Date;

  /** When each SLA alert was staged; each is sent once. */
  @Property({ type: 'timestamptz', nullable: true })
  warningSentAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  breachSentAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  escalationSentAt?: Date | null;

  /** A user id of identity; no local copy of the user. */
  @Property({ type: 'text', nullable: true })
  assigneeId?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  assignedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  completedAt?: Date | null;

  /** Set while the case waits on the applicant (documents requested): the SLA clock is stopped. */
  @Property({ type: 'timestamptz', nullable: true })
  slaPausedAt?: Date | null;

  /** The analyst's override decision waiting for a senior's approval: the case stays open with them. */
  @Property({ type: 'uuid', nullable: true })
  awaitingOverrideDecisionId?: string | null;

  /** The reason given at the last release. */
  @Property({ type: 'text', nullable: true })
  releaseReason?: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;

  /** Bumped on every status change. */
  @Property({ type: 'integer' })
  version!: number;
}
