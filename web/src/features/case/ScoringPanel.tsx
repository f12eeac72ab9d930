import type { Factor, Scoring } from '../../graphql/types';
import { formatDateTime, formatPercent, humanize } from '../../lib/format';
import { RecommendationBadge, RiskBadge } from '../../ui/Badge';

export function ScoringPanel({ scoring }: { scoring: Scoring | null }) {
  if (!scoring) {
    return (
      <section className="panel" data-testid="scoring-panel">
        <h3>Scoring</h3>
        <p className="muted">Not scored yet.</p>
      </section>
    );
  }
  return (
    <section className="panel" data-testid="scoring-panel">
      <h3>Scoring</h3>
      <div className="score-strip">
        <div className="metric">
          <span className="metric-value" data-testid="scoring-pd">
            {formatPercent(scoring.probabilityOfDefault, 2)}
          </span>
          <span className="metric-label">Probability of default</span>
        </div>
        <div className="metric">
          <span className="metric-value">{scoring.score}</span>
          <span className="metric-label">Score</span>
        </div>
        <div className="metric">
          <RiskBadge band={scoring.riskBand} />
          <span className="metric-label">Risk band</span>
        </div>
        <div className="metric">
          <RecommendationBadge recommendation={scoring.modelRecommendation} />
          <span className="metric-label">Model recommends</span>
        </div>
      </div>
      <p className="route">
        Route <strong>{humanize(scoring.route)}</strong> — {scoring.routeReason}
      </p>
      <h4>Top factors</h4>
      <FactorBars factors={scoring.topFactors} />
      {scoring.reasonCodes.length > 0 && (
        <>
          <h4>Reason codes</h4>
          <ul className="reason-codes">
            {scoring.reasonCodes.map((rc) => (
              <li key={rc.code}>
                <code>{rc.code}</code> {rc.description}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">
        Model {scoring.modelVersion} · scored {formatDateTime(scoring.scoredAt)}
      </p>
    </section>
  );
}

/** Signed contributions: bars grow right for positive impact, left for negative. */
export function FactorBars({ factors }: { factors: Factor[] }) {
  if (factors.length === 0) return <p className="muted">No factors reported.</p>;
  const max = Math.max(...factors.map((f) => Math.abs(f.impact)), 1e-9);
  return (
    <ul className="factors" data-testid="factor-list">
      {factors.map((f) => {
        const width = `${(Math.abs(f.impact) / max) * 50}%`;
        const positive = f.impact >= 0;
        return (
          <li key={f.feature} className="factor" title={f.feature}>
            <span className="factor-desc">
              {f.description} <span className="muted">= {f.value}</span>
            </span>
            <span className="factor-track" aria-hidden="true">
              <span className={positive ? 'factor-bar pos' : 'factor-bar neg'} style={positive ? { left: '50%', width } : { right: '50%', width }} />
            </span>
            <span className={positive ? 'factor-impact pos' : 'factor-impact neg'}>
              {positive ? '+' : '−'}
              {Math.abs(f.impact).toFixed(3)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
