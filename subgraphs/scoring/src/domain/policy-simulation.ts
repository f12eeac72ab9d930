import { type Route, type RoutingApplication, type RoutingPolicy, route } from './routing.js';

/** A scored application as it was routed, replayable under another policy. */
export interface ReplayCase {
  probabilityOfDefault: number;
  application: RoutingApplication;
  actualRoute: Route;
}

export interface PolicySimulation {
  applications: number;
  autoApproved: number;
  autoDeclined: number;
  humanReview: number;
  /** (auto-approved + auto-declined) / applications */
  autoDecisionRate: number;
  /** auto-approved / auto-decided: the share of automatic decisions that approve */
  approvalRate: number;
  /** human-review cases per day of the window */
  reviewQueuePerDay: number;
  /** applications whose route would differ from the one they got */
  routeChanges: number;
}

/** Replays each case under `policy` (the score is the stored one; only the routing changes). */
export function simulatePolicy(policy: RoutingPolicy, cases: readonly ReplayCase[], windowDays: number): PolicySimulation {
  let autoApproved = 0;
  let autoDeclined = 0;
  let routeChanges = 0;
  for (const c of cases) {
    const r = route(c.probabilityOfDefault, policy, c.application).route;
    if (r === 'AUTO_APPROVE') autoApproved++;
    else if (r === 'AUTO_DECLINE') autoDeclined++;
    if (r !== c.actualRoute) routeChanges++;
  }
  const n = cases.length;
  const humanReview = n - autoApproved - autoDeclined;
  const autoDecided = autoApproved + autoDeclined;
  return {
    applications: n,
    autoApproved,
    autoDeclined,
    humanReview,
    autoDecisionRate: n ? autoDecided / n : 0,
    approvalRate: autoDecided ? autoApproved / autoDecided : 0,
    reviewQueuePerDay: windowDays > 0 ? humanReview / windowDays : humanReview,
    routeChanges,
  };
}
