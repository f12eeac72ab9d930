import { ArrayType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { ModelReference } from '../domain/drift-report.js';
import type { ModelCard } from '../domain/features.js';

/**
 * A model version registered by a tenant. The ONNX bytes live here (PostgreSQL
 * is the one store every process shares); each process writes a
 * content-addressed copy to disk for onnxruntime (see ModelRegistry).
 */
@Entity({ tableName: 'model_versions' })
export class ModelVersionRecord {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @PrimaryKey({ type: 'text' })
  name!: string;

  @PrimaryKey({ type: 'text' })
  version!: string;

  @Property({ type: 'jsonb' })
  card!: ModelCard;

  /** reference.json: training distributions for drift; null when none was registered */
  @Property({ type: 'jsonb', nullable: true })
  reference?: ModelReference | null;

  @Property({ type: 'jsonb', lazy: true })
  testVectors!: unknown;

  @Property({ type: 'blob', lazy: true })
  onnx!: Buffer;

  /** sha256 of the ONNX bytes */
  @Property({ type: 'text' })
  sha256!: string;

  /** The largest |PD − expected PD| over the test vectors at registration */
  @Property({ type: 'double' })
  maxPdDifference!: number;

  @Property({ type: 'text' })
  registeredBy!: string;

  @Property({ type: 'timestamptz' })
  registeredAt!: Date;
}

/** Which registered version is the tenant's champion (routed) and challenger (shadow only). */
@Entity({ tableName: 'model_deployments' })
export class ModelDeploymentRecord {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @PrimaryKey({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  championVersion?: string | null;

  @Property({ type: 'text', nullable: true })
  challengerVersion?: string | null;

  /** Earlier champions, most recent last: rollbackModel pops from here. */
  @Property({ type: ArrayType, columnType: 'text[]' })
  previousChampions!: string[];

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** Every change to a tenant's registry: who did what, when. */
@Entity({ tableName: 'model_registry_audit' })
export class ModelRegistryAuditRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  /** REGISTER | PROMOTE | ROLLBACK | SET_CHALLENGER | CLEAR_CHALLENGER */
  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  version?: string | null;

  @Property({ type: 'text' })
  actor!: string;

  @Property({ type: 'jsonb' })
  details!: Record<string, unknown>;

  @Property({ type: 'timestamptz' })
  at!: Date;
}
