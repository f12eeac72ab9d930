import { Field, Float, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One model input of a score: its value and how much it moved the log-odds of default' })
export class ScoreContribution {
  @Field({ description: 'Model feature, as in the model card' })
  feature!: string;
  @Field(() => Float, { description: 'The model input (after imputation, clipping and transforms)' })
  value!: number;
  @Field(() => Float, { description: 'Signed logit contribution (SHAP for tree models, exact for logistic ones)' })
  contribution!: number;
}

@ObjectType({ description: 'A score as stored, or as its replay computed it' })
export class ScoreReplayValues {
  @Field(() => Float)
  probabilityOfDefault!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Explanation base value, logit = baseValue + Σ contributions (TreeSHAP: the expected logit; logistic: the intercept); null for scores stored before explanations were kept',
  })
  baseValue?: number | null;
  @Field(() => [ScoreContribution], { nullable: true, description: 'Every model input, card order; null for scores stored before explanations were kept' })
  contributions?: ScoreContribution[] | null;
}

@ObjectType({ description: 'One model version replayed on the feature vector it was given' })
export class ModelReplay {
  @Field()
  modelName!: string;
  @Field()
  modelVersion!: string;
  @Field({ description: 'sha256 of the ONNX file that replayed it: the one that scored, when the score recorded it' })
  modelSha256!: string;
  @Field({ description: 'A challenger scoring in shadow (never routed), rather than the score that routed the application' })
  shadow!: boolean;
  @Field({ description: "The application's stored inputs, extracted again with this model's card, give the stored feature vector" })
  featuresReproduced!: boolean;
  @Field(() => ScoreReplayValues)
  stored!: ScoreReplayValues;
  @Field(() => ScoreReplayValues)
  replayed!: ScoreReplayValues;
  @Field(() => Float)
  probabilityOfDefaultDifference!: number;
  @Field(() => Float, { nullable: true })
  baseValueDifference?: number | null;
  @Field(() => Float, { nullable: true, description: 'Largest |Δ| over the contributions; null when none were stored' })
  maxContributionDifference?: number | null;
  @Field({ description: 'PD within 1e-9 and, where stored, base value and every contribution within 1e-6' })
  matches!: boolean;
}

@ObjectType({ description: 'A stored score re-run through the model version that produced it, with its shadow scores' })
export class ScoreReplay {
  @Field(() => ID)
  scoreId!: string;
  @Field(() => ID)
  applicationId!: string;
  @Field()
  scoredAt!: Date;
  @Field(() => ModelReplay, { description: 'The score that routed the application' })
  score!: ModelReplay;
  @Field(() => [ModelReplay], { description: "Challengers' shadow scores of the application" })
  shadows!: ModelReplay[];
  @Field({ description: 'The score and every shadow score match their replay' })
  matches!: boolean;
  @Field()
  replayedAt!: Date;
}
