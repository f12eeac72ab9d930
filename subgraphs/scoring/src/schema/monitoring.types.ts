import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DriftSeverity } from './drift-alert.types.js';
import { Application, Route } from './scoring.types.js';

@InputType({ description: 'A window of recent scores: lastHours, or from/to (default: the last 30 days)' })
export class MonitoringWindowInput {
  @Field(() => Date, { nullable: true })
  from?: Date | null;
  @Field(() => Date, { nullable: true })
  to?: Date | null;
  @Field(() => Int, { nullable: true })
  lastHours?: number | null;
}

export enum DriftVariableKind {
  NUMERIC = 'NUMERIC',
  CATEGORICAL = 'CATEGORICAL',
  SCORE = 'SCORE',
}
registerEnumType(DriftVariableKind, { name: 'DriftVariableKind' });

@ObjectType({ description: 'Drift of one model variable (or the score) against the training reference' })
export class FeatureDrift {
  @Field({ description: 'A model feature, a one-hot group (e.g. housing) or "score"' })
  feature!: string;
  @Field(() => DriftVariableKind)
  kind!: DriftVariableKind;
  @Field(() => Int)
  sampleSize!: number;
  @Field(() => Int, { description: 'Bins compared after merging for the sample size (each expects ≥ 5 observations)' })
  bins!: number;
  @Field(() => Float, { description: 'Population stability index: ≥ 0.1 WARNING, ≥ 0.25 CRITICAL' })
  psi!: number;
  @Field(() => DriftSeverity, { nullable: true })
  severity?: DriftSeverity | null;
  @Field(() => Float, { nullable: true, description: 'Kolmogorov–Smirnov statistic (numeric variables)' })
  ks?: number | null;
  @Field(() => Float, { nullable: true })
  ksPValue?: number | null;
  @Field(() => Float, { nullable: true, description: 'χ² goodness of fit (categorical variables)' })
  chiSquare?: number | null;
  @Field(() => Int, { nullable: true })
  chiSquareDegreesOfFreedom?: number | null;
  @Field(() => Float, { nullable: true })
  chiSquarePValue?: number | null;
}

@ObjectType({ description: "A drift check of a window of the champion's scores" })
export class DriftRun {
  @Field(() => ID)
  id!: string;
  @Field()
  modelName!: string;
  @Field()
  modelVersion!: string;
  @Field()
  windowFrom!: Date;
  @Field()
  windowTo!: Date;
  @Field(() => Int)
  sampleSize!: number;
  @Field({ description: 'SCHEDULED or ON_DEMAND' })
  trigger!: string;
  @Field(() => Int, { description: 'Alerts opened or escalated by this run (fewer than 30 scores raise none)' })
  alertsRaised!: number;
  @Field()
  ranAt!: Date;
  @Field(() => [FeatureDrift])
  features!: FeatureDrift[];
}

export enum ProtectedAttribute {
  AGE_BAND = 'AGE_BAND',
  MARITAL_STATUS = 'MARITAL_STATUS',
}
registerEnumType(ProtectedAttribute, { name: 'ProtectedAttribute', description: 'Never a model input; monitored for fairness only' });

@ObjectType()
export class FairnessGroup {
  @Field()
  group!: string;
  @Field(() => Int)
  applications!: number;
  @Field(() => Int)
  approvals!: number;
  @Field(() => Float)
  approvalRate!: number;
  @Field(() => Float, { nullable: true, description: 'P(model recommends approval | repaid)' })
  truePositiveRate?: number | null;
  @Field(() => Float, { nullable: true, description: 'P(model recommends approval | defaulted)' })
  falsePositiveRate?: number | null;
}

@ObjectType({ description: 'Approval fairness across the groups of one protected attribute' })
export class FairnessAttributeReport {
  @Field(() => ProtectedAttribute)
  attribute!: ProtectedAttribute;
  @Field(() => [FairnessGroup])
  groups!: FairnessGroup[];
  @Field(() => Float, { nullable: true, description: 'Lowest / highest group approval rate (groups of ≥ 5); below 0.8 breaches the four-fifths rule' })
  approvalRateRatio?: number | null;
  @Field(() => Float, { nullable: true, description: 'Highest − lowest group approval rate' })
  demographicParityDifference?: number | null;
  @Field(() => Float, { nullable: true, description: 'Largest gap in TPR or FPR between groups; null until outcomes exist' })
  equalizedOddsDifference?: number | null;
  @Field(() => DriftSeverity, { nullable: true, description: 'WARNING below 0.8, CRITICAL below 0.5' })
  breach?: DriftSeverity | null;
}

@ObjectType({ description: 'Fairness of decisions on the scored applications of a window' })
export class FairnessReport {
  @Field()
  from!: Date;
  @Field()
  to!: Date;
  @Field(() => Int)
  applications!: number;
  @Field(() => Int, { description: 'Applications approved or declined (the ones compared)' })
  decided!: number;
  @Field(() => Int)
  withOutcome!: number;
  @Field(() => [FairnessAttributeReport])
  attributes!: FairnessAttributeReport[];
  @Field(() => Int, { nullable: true, description: 'Alerts opened or escalated (runFairnessCheck only)' })
  alertsRaised?: number | null;
}

export enum LoanOutcome {
  REPAID = 'REPAID',
  DEFAULTED = 'DEFAULTED',
}
registerEnumType(LoanOutcome, { name: 'LoanOutcome', description: 'How a granted loan turned out' });

@ObjectType({ description: 'A loan outcome as recorded' })
export class RecordedLoanOutcome {
  @Field(() => ID)
  applicationId!: string;
  @Field(() => LoanOutcome)
  outcome!: LoanOutcome;
  @Field()
  recordedBy!: string;
  @Field()
  recordedAt!: Date;
}

@ObjectType({ description: 'Predicted against observed default rate in one risk band' })
export class CalibrationBand {
  @Field()
  riskBand!: string;
  @Field(() => Int)
  loans!: number;
  @Field(() => Int)
  defaults!: number;
  @Field(() => Float)
  meanPredictedPd!: number;
  @Field(() => Float)
  observedDefaultRate!: number;
}

@ObjectType({ description: 'Realised performance of the scores of a window whose loans have an outcome' })
export class ModelPerformance {
  @Field()
  from!: Date;
  @Field()
  to!: Date;
  @Field(() => Int)
  loansWithOutcome!: number;
  @Field(() => Int)
  defaults!: number;
  @Field(() => Float, { nullable: true, description: 'null until both repaid and defaulted loans exist' })
  auc?: number | null;
  @Field(() => Float, { nullable: true, description: '2·AUC − 1' })
  gini?: number | null;
  @Field(() => Float, { nullable: true, description: 'Max distance between the PD distributions of defaulters and payers' })
  ks?: number | null;
  @Field(() => Float, { nullable: true })
  brierScore?: number | null;
  @Field(() => [CalibrationBand])
  calibration!: CalibrationBand[];
}

@ObjectType({ description: 'What a proposed routing policy would have done with the applications scored in a window' })
export class PolicySimulation {
  @Field()
  from!: Date;
  @Field()
  to!: Date;
  @Field(() => Int)
  applications!: number;
  @Field(() => Int)
  autoApproved!: number;
  @Field(() => Int)
  autoDeclined!: number;
  @Field(() => Int, { description: 'Review-queue load: applications a human would decide' })
  humanReview!: number;
  @Field(() => Float, { description: '(auto-approved + auto-declined) / applications' })
  autoDecisionRate!: number;
  @Field(() => Float, { description: 'Auto-approved share of the automatic decisions' })
  approvalRate!: number;
  @Field(() => Float)
  reviewQueuePerDay!: number;
  @Field(() => Int, { description: 'Applications that would have been routed differently' })
  routeChanges!: number;
}

@ObjectType({ description: 'A decided application close to another in model-feature space' })
export class SimilarCase {
  @Field(() => Application)
  application!: Application;
  @Field(() => Float, { description: 'Euclidean distance over standardised model features' })
  distance!: number;
  @Field(() => Float)
  probabilityOfDefault!: number;
  @Field()
  riskBand!: string;
  @Field(() => Route)
  route!: Route;
  @Field({ description: 'The decision outcome (APPROVED, APPROVED_WITH_CONDITIONS, DECLINED, DOCUMENTS_REQUESTED)' })
  decision!: string;
  @Field()
  automated!: boolean;
  @Field()
  decidedAt!: Date;
  @Field(() => LoanOutcome, { nullable: true, description: 'Known once the partner reports it' })
  loanOutcome?: LoanOutcome | null;
}

@ObjectType({ description: "The per-variable drift table of the champion's scores in a window (computed, not stored)" })
export class DriftReport {
  @Field()
  modelName!: string;
  @Field()
  modelVersion!: string;
  @Field()
  windowFrom!: Date;
  @Field()
  windowTo!: Date;
  @Field(() => Int)
  sampleSize!: number;
  @Field(() => [FeatureDrift])
  features!: FeatureDrift[];
}
