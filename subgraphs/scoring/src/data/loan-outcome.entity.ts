import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { DecisionOutcome } from '@tandem/platform';

export type LoanOutcome = 'REPAID' | 'DEFAULTED';

/** How a scored loan turned out, as its partner reported it (the latest report wins). */
@Entity({ tableName: 'loan_outcomes' })
export class LoanOutcomeRecord {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @PrimaryKey({ type: 'uuid' })
  applicationId!: string;

  @Property({ type: 'text' })
  outcome!: LoanOutcome;

  @Property({ type: 'text' })
  recordedBy!: string;

  @Property({ type: 'timestamptz' })
  recordedAt!: Date;
}

/** The decisions subgraph's decision per application, kept from decision.made (for fairness and similar cases). */
@Entity({ tableName: 'application_decisions' })
export class ApplicationDecisionRecord {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @PrimaryKey({ type: 'uuid' })
  applicationId!: string;

  @Property({ type: 'text' })
  outcome!: DecisionOutcome;

  @Property({ type: 'boolean' })
  automated!: boolean;

  @Property({ type: 'timestamptz' })
  decidedAt!: Date;
}
