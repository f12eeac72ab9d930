import { humanize } from '../lib/format';

const STATUS_TONE: Record<string, string> = {
  PENDING: 'neutral',
  ASSIGNED: 'info',
  IN_PROGRESS: 'active',
  COMPLETED: 'muted',
  REVIEW: 'info',
  SCORING: 'neutral',
  APPROVED: 'good',
  APPROVED_WITH_CONDITIONS: 'good',
  DECLINED: 'bad',
  DOCUMENTS_REQUESTED: 'warn',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${STATUS_TONE[status] ?? 'neutral'}`} data-testid="status-badge">
      {humanize(status)}
    </span>
  );
}

/** Risk bands are opaque strings from the model ("A".."E", "LOW".."HIGH"); tone by best guess. */
export function riskTone(band: string): string {
  const b = band.toUpperCase();
  if (['A', 'AA', 'LOW', 'VERY_LOW'].includes(b)) return 'good';
  if (['B', 'MEDIUM_LOW'].includes(b)) return 'info';
  if (['C', 'MEDIUM'].includes(b)) return 'warn';
  if (['D', 'E', 'F', 'HIGH', 'VERY_HIGH'].includes(b)) return 'bad';
  return 'neutral';
}

export function RiskBadge({ band }: { band: string }) {
  return (
    <span className={`badge badge-${riskTone(band)}`} title="Risk band" data-testid="risk-badge">
      {band}
    </span>
  );
}

export function RecommendationBadge({ recommendation }: { recommendation: string }) {
  const r = recommendation.toUpperCase();
  const tone = r === 'APPROVE' ? 'good' : r === 'DECLINE' ? 'bad' : 'neutral';
  return <span className={`badge badge-${tone}`}>{humanize(recommendation)}</span>;
}
