import { badInput, Permission, type SubgraphContext, tenantOf } from '@tandem/platform';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { SlaPolicyRepository, type StoredSlaPolicy } from '../data/sla-policy.repository.js';
import { AROUND_THE_CLOCK } from '../domain/business-calendar.js';
import { type SlaPolicy as DomainSlaPolicy, validateSlaPolicy } from '../domain/sla-clock.js';
import { SlaPolicy, SlaPolicyInput, WEEKDAYS } from './sla-policy.types.js';

function toSlaPolicy(p: StoredSlaPolicy): SlaPolicy {
  return {
    reviewSlaSeconds: p.reviewSlaSeconds,
    warningSecondsBefore: p.warningSecondsBefore,
    escalateSecondsAfter: p.escalateSecondsAfter,
    timeZone: p.calendar.timeZone,
    workingDays: p.calendar.workingDays.map((d) => WEEKDAYS[d - 1]),
    workingHours: { ...p.calendar.workingHours },
    holidays: p.calendar.holidays.map((h) => new Date(`${h}T00:00:00Z`)),
    updatedAt: p.updatedAt,
  };
}

/** The input as the domain's policy: calendar fields default to around the clock. */
function fromInput(input: SlaPolicyInput): DomainSlaPolicy {
  return {
    reviewSlaSeconds: input.reviewSlaSeconds,
    warningSecondsBefore: input.warningSecondsBefore,
    escalateSecondsAfter: input.escalateSecondsAfter,
    calendar: {
      timeZone: input.timeZone ?? AROUND_THE_CLOCK.timeZone,
      workingDays: input.workingDays ? input.workingDays.map((d) => WEEKDAYS.indexOf(d) + 1) : AROUND_THE_CLOCK.workingDays,
      workingHours: input.workingHours ? { start: input.workingHours.start, end: input.workingHours.end } : AROUND_THE_CLOCK.workingHours,
      holidays: (input.holidays ?? []).map((d) => d.toISOString().slice(0, 10)),
    },
  };
}

@Resolver()
export class SlaPolicyResolver {
  @Authorized(Permission.QueueView)
  @Query(() => SlaPolicy, { description: "Your tenant's review SLA and business calendar. Requires queue:view." })
  async slaPolicy(@Ctx() ctx: SubgraphContext): Promise<SlaPolicy> {
    return toSlaPolicy(await new SlaPolicyRepository(ctx.em).forTenant(tenantOf(ctx)));
  }

  @Authorized(Permission.ConfigManage)
  @Mutation(() => SlaPolicy, {
    description:
      "Set your tenant's review SLA and business calendar; cases queued or resumed from now on follow it. " +
      'BAD_USER_INPUT with every problem listed when it is unusable. Requires config:manage.',
  })
  async setSlaPolicy(@Arg('input', () => SlaPolicyInput) input: SlaPolicyInput, @Ctx() ctx: SubgraphContext): Promise<SlaPolicy> {
    const policy = fromInput(input);
    const problems = validateSlaPolicy(policy);
    if (problems.length) throw badInput(`Invalid SLA policy: ${problems.join('; ')}`);
    const saved = await new SlaPolicyRepository(ctx.em).save(tenantOf(ctx), policy, ctx.caller, new Date(), ctx.requestId);
    ctx.log.info({ reviewSlaSeconds: policy.reviewSlaSeconds, timeZone: policy.calendar?.timeZone }, 'SLA policy set');
    return toSlaPolicy(saved);
  }
}
