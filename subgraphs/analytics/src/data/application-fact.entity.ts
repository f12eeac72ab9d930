import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One row per application: the read model analytics builds from other
 * subgraphs' events. Each event fills only the columns it knows, so columns
 * are nullable until their event has arrived (any order).
 */
@Entity({ tableName: 'application_facts' })
@Index({ properties: ['tenantId', 'submittedAt'] })
export class ApplicationFact {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @PrimaryKey({ type: 'uuid' })
  applicationId!: string;

  // From application.status_changed (and application.scored, which repeats it).
  @Property({ type: 'timestamptz', nullable: true })
  submittedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  status?: string | null;

  /** When the applications subgraph made the status change: a stale event never overwrites a newer status. */
  @Property({ type: 'timestamptz', nullable: true })
  statusChangedAt?: Date | null;

  // From application.scored; the latest scoring wins.
  @Property({ type: 'text', nullable: true })
  route?: string | null;

  @Property({ type: 'text', nullable: true })
  modelRecommendation?: string | null;

  @Property({ type: 'double', nullable: true })
  probabilityOfDefault?: number | null;

  @Property({ type: 'text', nullable: true })
  riskBand?: string | null;

  @Property({ type: 'numeric', precision: 14, scale: 2, nullable: true })
  loanAmount?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  scoredAt?: Date | null;

  // From decision.made; the latest decision wins.
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  outcome?: string | null;

  @Property({ type: 'boolean', nullable: true })
  automated?: boolean | null;

  @Property({ type: 'boolean', nullable: true })
  isOverride?: boolean | null;

  @Property({ type: 'text', nullable: true })
  overrideStatus?: string | null;

  @Property({ type: 'double', nullable: true })
  reviewSeconds?: number | null;

  /** Null for automated decisions and while undecided. */
  @Property({ type: 'boolean', nullable: true })
  withinSla?: boolean | null;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
