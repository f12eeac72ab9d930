import type { DecisionMetrics } from '../domain/decision-metrics.js';
import type { ReportingWindow } from '../domain/reporting-window.js';
import type { DecisionDashboard } from './dashboard.types.js';

/** Domain metrics → GraphQL shape, echoing the window they were computed for. */
export function toDecisionDashboard(window: ReportingWindow, m: DecisionMetrics): DecisionDashboard {
  return { from: window.from, to: window.to, ...m };
}
