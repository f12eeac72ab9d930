import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { ApplicationStatus } from '@tandem/platform';
import type { Submission } from '../domain/submission.js';

/** A loan application. Applicant PII lives in `applicant` and never leaves this subgraph in an event. */
@Entity({ tableName: 'applications' })
@Unique({ properties: ['tenantId', 'externalId'] })
@Index({ properties: ['tenantId', 'submittedAt'] })
export class ApplicationRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  externalId!: string;

  @Property({ type: 'text' })
  status!: ApplicationStatus;

  @Property({ type: 'jsonb' })
  applicant!: Omit<Submission['applicant'], 'dateOfBirth'> & { dateOfBirth: string };

  @Property({ type: 'jsonb' })
  financials!: Submission['financials'];

  @Property({ type: 'jsonb' })
  loan!: Submission['loan'] & { purpose: string; currency: string };

  @Property({ type: 'numeric', precision: 14, scale: 2 })
  loanAmount!: string;

  @Property({ type: 'numeric', precision: 14, scale: 2 })
  monthlyInstalment!: string;

  @Property({ type: 'double', nullable: true })
  debtToIncome?: number | null;

  @Property({ type: 'double', nullable: true })
  loanToIncome?: number | null;

  @Property({ type: 'double', nullable: true })
  paymentToIncome?: number | null;

  @Property({ type: 'text' })
  fingerprint!: string;

  /** The API client or user that submitted it. */
  @Property({ type: 'text' })
  submittedBy!: string;

  @Property({ type: 'timestamptz' })
  submittedAt!: Date;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
