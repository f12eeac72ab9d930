import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MonitoringWindowInput } from './monitoring.types.js';

export enum ModelVersionStatus {
  CHAMPION = 'CHAMPION',
  CHALLENGER = 'CHALLENGER',
  REGISTERED = 'REGISTERED',
}
registerEnumType(ModelVersionStatus, { name: 'ModelVersionStatus', description: 'CHAMPION scores and routes; CHALLENGER scores in shadow only' });

@ObjectType({ description: 'A credit model version registered by your tenant, validated against its test vectors' })
export class ModelVersion {
  @Field()
  name!: string;
  @Field()
  version!: string;
  @Field(() => ModelVersionStatus)
  status!: ModelVersionStatus;
  @Field({ description: "The model card's algorithm description" })
  algorithm!: string;
  @Field({ description: 'When the model was trained (model card)' })
  created!: string;
  @Field(() => [String], { description: 'Model inputs, in card order' })
  features!: string[];
  @Field(() => Float, { nullable: true, description: 'Holdout AUC from the model card' })
  holdoutAuc?: number | null;
  @Field({ description: 'sha256 of the ONNX file' })
  sha256!: string;
  @Field(() => Float, { description: 'Largest |PD − expected PD| over the test vectors at registration (accepted at most 1e-5)' })
  maxPdDifference!: number;
  @Field({ description: 'Whether reference distributions were registered (drift needs them)' })
  hasReference!: boolean;
  @Field()
  registeredBy!: string;
  @Field()
  registeredAt!: Date;
  @Field({ description: 'The full model card, as JSON' })
  modelCardJson!: string;
}

@ObjectType({ description: "Which of your model's versions scores (champion) and which shadows it (challenger)" })
export class ModelDeployment {
  @Field()
  name!: string;
  @Field(() => String, { nullable: true, description: 'null: the built-in default model serves' })
  championVersion?: string | null;
  @Field(() => String, { nullable: true })
  challengerVersion?: string | null;
  @Field({ description: 'The version scoring new applications now' })
  servingVersion!: string;
  @Field(() => [String], { description: 'Earlier champions, most recent last (rollbackModel returns to the last)' })
  previousChampions!: string[];
}

@InputType({
  description:
    'A model version: either modelPath (a directory under models/ on the server, for operators) or onnxBase64 + modelCardJson + testVectorsJson (+ referenceJson for drift monitoring).',
})
export class RegisterModelVersionInput {
  @Field()
  name!: string;
  @Field()
  version!: string;
  @Field(() => String, { nullable: true, description: 'e.g. credit-default/1.0.0 (model.onnx, model-card.json, test-vectors.json, reference.json)' })
  modelPath?: string | null;
  @Field(() => String, { nullable: true })
  onnxBase64?: string | null;
  @Field(() => String, { nullable: true })
  modelCardJson?: string | null;
  @Field(() => String, { nullable: true, description: '{ "vectors": [{ "input": …, "expected": { "pd": …, "features": […] } }] }' })
  testVectorsJson?: string | null;
  @Field(() => String, { nullable: true })
  referenceJson?: string | null;
}

@ObjectType({ description: 'A change to the model registry' })
export class ModelRegistryAuditEntry {
  @Field({ description: 'REGISTER, PROMOTE, ROLLBACK, SET_CHALLENGER or CLEAR_CHALLENGER' })
  action!: string;
  @Field()
  name!: string;
  @Field(() => String, { nullable: true })
  version?: string | null;
  @Field()
  actor!: string;
  @Field()
  at!: Date;
  @Field({ description: 'Details as JSON (previous champion, checks passed, …)' })
  detailsJson!: string;
}

@ObjectType({ description: 'Champion against challenger on the applications both scored' })
export class ChampionChallengerComparison {
  @Field()
  name!: string;
  @Field()
  championVersion!: string;
  @Field()
  challengerVersion!: string;
  @Field()
  from!: Date;
  @Field()
  to!: Date;
  @Field(() => Int, { description: 'Applications scored by both' })
  comparedApplications!: number;
  @Field(() => Float, { nullable: true, description: 'Share with the same model recommendation' })
  agreementRate?: number | null;
  @Field(() => Float, { nullable: true })
  meanAbsolutePdDifference?: number | null;
  @Field(() => Int, { description: 'Compared applications with a recorded loan outcome' })
  withOutcome!: number;
  @Field(() => Float, { nullable: true, description: 'null until outcomes of both kinds exist' })
  championAuc?: number | null;
  @Field(() => Float, { nullable: true })
  challengerAuc?: number | null;
}

export { MonitoringWindowInput };
