import { badInput, Permission, type SubgraphContext, servicesOf, tenantOf } from '@tandem/platform';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { RoutingPolicyRepository, toRoutingPolicyVersion } from '../data/routing-policy.repository.js';
import { modelCardPolicy, validateRoutingPolicy } from '../domain/routing-policy.js';
import type { ScoringServices } from '../server.js';
import { RoutingPolicy, RoutingPolicyInput } from './routing-policy.types.js';
import { toRoutingPolicy } from './scoring.mapper.js';

@Resolver(() => RoutingPolicy)
export class RoutingPolicyResolver {
  @Authorized(Permission.ApplicationView)
  @Query(() => RoutingPolicy, { description: "Your tenant's routing policy in force now (or at `at`). Requires application:view." })
  async routingPolicy(@Ctx() ctx: SubgraphContext, @Arg('at', () => Date, { nullable: true }) at?: Date | null): Promise<RoutingPolicy> {
    const tenantId = tenantOf(ctx);
    const record = await new RoutingPolicyRepository(ctx.em).inForce(tenantId, at ?? new Date());
    if (record) return toRoutingPolicy(toRoutingPolicyVersion(record), record);
    // No policy set: the champion's card suggests one, as when scoring.
    const champion = await servicesOf<ScoringServices>(ctx).registry.champion(ctx.em, tenantId);
    return toRoutingPolicy(modelCardPolicy(champion.model.card), null);
  }

  @Authorized(Permission.ConfigManage)
  @Mutation(() => RoutingPolicy, {
    description:
      'Adds the next version of your routing policy, effective now or at a future effectiveFrom. Earlier scores keep the version they used. Requires config:manage.',
  })
  async setRoutingPolicy(@Arg('input', () => RoutingPolicyInput) input: RoutingPolicyInput, @Ctx() ctx: SubgraphContext): Promise<RoutingPolicy> {
    const tenantId = tenantOf(ctx);
    const now = new Date();
    const problems = validateRoutingPolicy(input, now);
    if (problems.length) throw badInput(`Invalid routing policy: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, { problems });
    const record = await new RoutingPolicyRepository(ctx.em).addNextVersion(
      tenantId,
      { ...input, effectiveFrom: input.effectiveFrom ?? now },
      ctx.caller,
      ctx.requestId,
    );
    ctx.log.info({ version: record.version, effectiveFrom: record.effectiveFrom }, 'routing policy set');
    return toRoutingPolicy(toRoutingPolicyVersion(record), record);
  }
}
