import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { ScoringInput as SubmittedScoringInput } from '@tandem/platform';
import type { Factor } from '../domain/explanation.js';
import type { ModelRecommendation, Route } from '../domain/routing.js';

/**
 * One application's score, with everything needed to replay it: what the
 * model was given (inputs), what it computed from them (feature vector), the
 * model version and the routing-policy version that routed it.
 */
@Entity({ tableName: 'scores' })
@Unique({ properties: ['tenantId', 'applicationId'] })
@Index({ properties: ['tenantId', 'scoredAt'] })
export class ScoreRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'uuid' })
  applicationId!: string;

  /** The partner's own id of the application (from application.submitted), for outcome reports. */
  @Property({ type: 'text', nullable: true })
  externalId?: string | null;

  @Property({ type: 'text' })
  modelName!: string;

  @Property({ type: 'text' })
  modelVersion!: string;

  /** The ScoringInput of the application.submitted event, as received. */
  @Property({ type: 'jsonb' })
  inputs!: SubmittedScoringInput;

  /** The model's input row (card feature order, after imputation, clipping and transforms). */
  @Property({ type: 'jsonb' })
  featureVector!: number[];

  /** sha256 of the ONNX file that scored it (null before migration 0003) */
  @Property({ type: 'text', nullable: true })
  modelSha256?: string | null;

  /** The explanation's base value (TreeSHAP: the expected logit; logistic: the intercept); logit = baseValue + Σ contributions. Null before 0003. */
  @Property({ type: 'double', nullable: true })
  baseValue?: number | null;

  /** One logit contribution per model input, card order like featureVector (SHAP or linear). Null before 0003. */
  @Property({ type: 'jsonb', nullable: true })
  contributions?: number[] | null;

  @Property({ type: 'double' })
  probabilityOfDefault!: number;

  @Property({ type: 'integer' })
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
  topFactors!: Factor[];

  @Property({ type: 'jsonb' })
  reasonCodes!: { code: string; description: string }[];

  /** The tenant's routing-policy version; 0 = the model card's suggested policy. */
  @Property({ type: 'integer' })
  policyVersion!: number;

  @Property({ type: 'timestamptz' })
  scoredAt!: Date;
}
