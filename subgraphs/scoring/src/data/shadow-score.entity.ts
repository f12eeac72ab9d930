import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { ModelRecommendation } from '../domain/routing.js';

/** A challenger's score of an application: stored for comparison, never routed or published. */
@Entity({ tableName: 'shadow_scores' })
@Unique({ properties: ['tenantId', 'applicationId', 'modelName', 'modelVersion'] })
export class ShadowScoreRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'uuid' })
  applicationId!: string;

  @Property({ type: 'text' })
  modelName!: string;

  @Property({ type: 'text' })
  modelVersion!: string;

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

  @Property({ type: 'text' })
  riskBand!: string;

  /** under the tenant's routing policy in force, as the champion's was */
  @Property({ type: 'text' })
  modelRecommendation!: ModelRecommendation;

  @Property({ type: 'timestamptz' })
  scoredAt!: Date;
}
