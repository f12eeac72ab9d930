import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { ModelRecommendation, Route } from '@tandem/platform';
import type { ReasonCode } from '../domain/decision-rules.js';

/**
 * Projection of `application.scored`: the latest score of each application,
 * what decisions are checked against (override or not) and copied into.
 * Its row is also the application's lock: every decision on an application
 * takes it FOR UPDATE first, so decisions on one application serialise.
 */
@Entity({ tableName: 'application_scores' })
export class ScoreSnapshotRecord {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @PrimaryKey({ type: 'text' })
  applicationId!: string;

  @Property({ type: 'text' })
  scoreId!: string;

  @Property({ type: 'text' })
  modelVersion!: string;

  @Property({ type: 'double' })
  probabilityOfDefault!: number;

  @Property({ type: 'double' })
  score!: number;

  @Property({ type: 'text' })
  riskBand!: string;

  @Property({ type: 'text' })
  route!: Route;

  @Property({ type: 'text' })
  routeReason!: string;

  @Property({ type: 'text' })
  modelRecommendation!: ModelRecommendation;

  @Property({ type: 'jsonb' })
  reasonCodes!: ReasonCode[];

  @Property({ type: 'numeric', precision: 14, scale: 2 })
  loanAmount!: string;

  @Property({ type: 'integer' })
  termMonths!: number;

  @Property({ type: 'timestamptz' })
  scoredAt!: Date;
}
