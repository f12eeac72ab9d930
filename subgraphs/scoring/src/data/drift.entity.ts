import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { DriftRow } from '../domain/drift-report.js';
import type { DriftSeverity } from '../domain/drift-statistics.js';

export type DriftTrigger = 'SCHEDULED' | 'ON_DEMAND';
export type AlertKind = 'DRIFT' | 'FAIRNESS';
export type AlertStatus = 'OPEN' | 'ACKNOWLEDGED' | 'DISMISSED';

/** One drift check of a window of the champion's scores, with its per-feature table. */
@Entity({ tableName: 'drift_runs' })
export class DriftRunRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  modelName!: string;

  @Property({ type: 'text' })
  modelVersion!: string;

  @Property({ type: 'timestamptz' })
  windowFrom!: Date;

  @Property({ type: 'timestamptz' })
  windowTo!: Date;

  @Property({ type: 'integer' })
  sampleSize!: number;

  @Property({ type: 'text' })
  trigger!: DriftTrigger;

  @Property({ type: 'jsonb' })
  rows!: DriftRow[];

  @Property({ type: 'integer' })
  alertsRaised!: number;

  @Property({ type: 'timestamptz' })
  ranAt!: Date;
}

/** A drift or fairness alert. One per (kind, feature, metric) until dismissed; later runs update it. */
@Entity({ tableName: 'drift_alerts' })
export class DriftAlertRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  kind!: AlertKind;

  /** a model feature, "score", or a protected attribute (fairness) */
  @Property({ type: 'text' })
  feature!: string;

  /** PSI, or APPROVAL_RATE_RATIO */
  @Property({ type: 'text' })
  metric!: string;

  @Property({ type: 'double' })
  value!: number;

  @Property({ type: 'text' })
  severity!: DriftSeverity;

  @Property({ type: 'text' })
  status!: AlertStatus;

  @Property({ type: 'text' })
  modelVersion!: string;

  @Property({ type: 'uuid', nullable: true })
  runId?: string | null;

  @Property({ type: 'timestamptz' })
  raisedAt!: Date;

  @Property({ type: 'timestamptz' })
  lastSeenAt!: Date;

  @Property({ type: 'text', nullable: true })
  resolvedBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;
}
