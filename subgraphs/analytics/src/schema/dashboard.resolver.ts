import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { badInput, Permission, tenantOf, type SubgraphContext } from '@tandem/platform';
import { ApplicationFactRepository } from '../data/application-fact.repository.js';
import { decisionMetrics } from '../domain/decision-metrics.js';
import { windowProblem } from '../domain/reporting-window.js';
import { ReportingWindowArgs } from './dashboard.args.js';
import { toDecisionDashboard } from './dashboard.mapper.js';
import { DecisionDashboard } from './dashboard.types.js';

@Resolver()
export class DashboardResolver {
  @Authorized(Permission.AnalyticsView)
  @Query(() => DecisionDashboard, {
    description:
      'Decision analytics of your tenant for applications submitted in [from, to) (at most 366 days). Built from events, so it trails the live graph by moments. Requires analytics:view.',
  })
  async decisionDashboard(@Args(() => ReportingWindowArgs) args: ReportingWindowArgs, @Ctx() ctx: SubgraphContext): Promise<DecisionDashboard> {
    const window = { from: args.from, to: args.to };
    const problem = windowProblem(window);
    if (problem) throw badInput(`Invalid window: ${problem}`);
    const counts = await new ApplicationFactRepository(ctx.em).dashboardCounts(tenantOf(ctx), window);
    return toDecisionDashboard(window, decisionMetrics(counts));
  }
}
