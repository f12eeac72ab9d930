import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { badInput, pageWindow, Permission, tenantOf, toConnection, type SubgraphContext } from '@tandem/platform';
import { AuditTrailRepository } from '../data/audit-trail.repository.js';
import { toAuditEntry, toAuditVerification } from './audit.mapper.js';
import { AuditTrailArgs } from './audit.args.js';
import { AuditEntryConnection, AuditVerification } from './audit.types.js';

@Resolver()
export class AuditResolver {
  @Authorized(Permission.AuditView)
  @Query(() => AuditEntryConnection, {
    description:
      "Your tenant's audit trail, newest first: every state change in the graph with actor, time, old and new value and diff (personal data masked). Filters combine; from/to select [from, to) on occurredAt. Requires audit:view.",
  })
  async auditTrail(@Args(() => AuditTrailArgs) args: AuditTrailArgs, @Ctx() ctx: SubgraphContext) {
    if (args.from && args.to && args.from >= args.to) throw badInput('from must be before to');
    const { limit, offset } = pageWindow(args.first, args.after);
    const { items, total } = await new AuditTrailRepository(ctx.em).list(
      tenantOf(ctx),
      { entityType: args.entityType, entityId: args.entityId, actorId: args.actor, from: args.from, to: args.to },
      limit,
      offset,
    );
    return toConnection(items.map(toAuditEntry), total, offset);
  }

  @Authorized(Permission.AuditView)
  @Query(() => AuditVerification, {
    description:
      "Walks your tenant's whole audit chain, recomputing every hash: intact when no entry was edited, inserted, removed or reordered; otherwise the first broken seq. Requires audit:view.",
  })
  async verifyAuditTrail(@Ctx() ctx: SubgraphContext): Promise<AuditVerification> {
    return toAuditVerification(await new AuditTrailRepository(ctx.em).verify(tenantOf(ctx)));
  }
}
