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
