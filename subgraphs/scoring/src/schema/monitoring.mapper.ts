import { badInput } from '@tandem/platform';
import type { DriftAlertRecord, DriftRunRecord } from '../data/drift.entity.js';
import type { ModelDeploymentRecord, ModelVersionRecord } from '../data/model-version.entity.js';
import type { DriftRow } from '../domain/drift-report.js';
import { type MonitoringWindow, resolveWindow } from '../domain/monitoring-window.js';
import type { DriftAlert, DriftAlertKind, DriftAlertStatus, DriftSeverity } from './drift-alert.types.js';
import { type ModelVersion, ModelVersionStatus } from './model-registry.types.js';
import type { DriftRun, DriftVariableKind, FeatureDrift, MonitoringWindowInput } from './monitoring.types.js';

/** The requested window, or BAD_USER_INPUT. */
export function windowOf(input: MonitoringWindowInput | null | undefined, now = new Date()): MonitoringWindow {
  const window = resolveWindow(input, now);
  if (typeof window === 'string') throw badInput(`Invalid window: ${window}`);
  return window;
}

export function toModelVersion(r: ModelVersionRecord, deployment: ModelDeploymentRecord | null): ModelVersion {
  const status =
    deployment?.championVersion === r.version
      ? ModelVersionStatus.CHAMPION
      : deployment?.challengerVersion === r.version
        ? ModelVersionStatus.CHALLENGER
        : ModelVersionStatus.REGISTERED;
  return {
    name: r.name,
    version: r.version,
    status,
    algorithm: r.card.algorithm ?? '',
    created: r.card.created ?? '',
    features: r.card.features.map((f) => f.name),
    holdoutAuc: typeof r.card.metrics?.holdoutAuc === 'number' ? r.card.metrics.holdoutAuc : null,
    sha256: r.sha256,
    maxPdDifference: r.maxPdDifference,
    hasReference: r.reference != null,
    registeredBy: r.registeredBy,
    registeredAt: r.registeredAt,
    modelCardJson: JSON.stringify(r.card),
  };
}

export function toDriftRun(r: DriftRunRecord): DriftRun {
  return {
    id: r.id,
    modelName: r.modelName,
    modelVersion: r.modelVersion,
    windowFrom: r.windowFrom,
    windowTo: r.windowTo,
    sampleSize: r.sampleSize,
    trigger: r.trigger,
    alertsRaised: r.alertsRaised,
    ranAt: r.ranAt,
    features: r.rows.map(toFeatureDrift),
  };
}

export function toFeatureDrift(row: DriftRow): FeatureDrift {
  return {
    ...row,
    kind: row.kind as DriftVariableKind,
    severity: (row.severity as DriftSeverity | null) ?? null,
    // A window value in a category the reference never saw makes χ² infinite: GraphQL (and JSON) have no Infinity, so null
    chiSquare: row.chiSquare !== null && Number.isFinite(row.chiSquare) ? row.chiSquare : null,
  };
}

export function toDriftAlert(r: DriftAlertRecord): DriftAlert {
  return {
    id: r.id,
    severity: r.severity as DriftSeverity,
    feature: r.feature,
    metric: r.metric,
    value: r.value,
    raisedAt: r.raisedAt,
    kind: r.kind as DriftAlertKind,
    status: r.status as DriftAlertStatus,
    modelVersion: r.modelVersion,
    lastSeenAt: r.lastSeenAt,
    resolvedBy: r.resolvedBy ?? null,
    resolvedAt: r.resolvedAt ?? null,
  };
}
