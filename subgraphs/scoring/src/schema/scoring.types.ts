import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum Route {
  AUTO_APPROVE = 'AUTO_APPROVE',
  AUTO_DECLINE = 'AUTO_DECLINE',
  HUMAN_REVIEW = 'HUMAN_REVIEW',
}
registerEnumType(Route, { name: 'Route', description: 'Where scoring sent an application' });

export enum ModelRecommendation {
  APPROVE = 'APPROVE',
  DECLINE = 'DECLINE',
  REVIEW = 'REVIEW',
}
registerEnumType(ModelRecommendation, { name: 'ModelRecommendation', description: 'What the score alone says, before the automation limits' });

@ObjectType({ description: 'One input of the credit model and how much it moved the risk' })
export class Factor {
  @Field({ description: 'Model feature (or feature group, e.g. housing)' })
  feature!: string;
  @Field()
  description!: string;
  @Field({ description: 'The applicant\'s value in words, e.g. "Debt-to-income ratio 46%"' })
  value!: string;
  @Field(() => Float, { description: 'Signed change of the log-odds of default against the average applicant: positive raises the risk' })
  impact!: number;
}

@ObjectType({ description: 'A stable adverse-action reason code' })
export class ReasonCode {
  @Field()
  code!: string;
  @Field()
  description!: string;
}

@ObjectType({ description: "The credit model's score of an application and where the routing policy sent it" })
export class Scoring {
  @Field(() => Float)
  probabilityOfDefault!: number;
  @Field(() => Int, { description: 'Credit score points: higher is safer' })
  score!: number;
  @Field({ description: 'A (lowest risk) to E' })
  riskBand!: string;
  @Field(() => Route)
  route!: Route;
  @Field({ description: 'Why the application went where it went, in words' })
  routeReason!: string;
  @Field(() => ModelRecommendation)
  modelRecommendation!: ModelRecommendation;
  @Field()
  modelVersion!: string;
  @Field(() => Int, { description: "The tenant's routing-policy version that routed it; 0 = the model card's suggested policy" })
  policyVersion!: number;
  @Field()
  scoredAt!: Date;
  @Field(() => [Factor], { description: 'Up to 5 factors raising the risk most (strongest first), then up to 5 lowering it most' })
  topFactors!: Factor[];
  @Field(() => [ReasonCode], { description: 'Principal reasons the score raised the risk: up to 4, strongest first; empty when nothing did' })
  reasonCodes!: ReasonCode[];
}

/** Application is owned by the applications subgraph; scoring adds its score. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Application {
  @Field(() => ID)
  id!: string;
}
