import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, conflict, forbidden, loader, Permission, tenantOf, type SubgraphContext } from '@tandem/platform';
import { DecisionRepository } from '../data/decision.repository.js';
import { planHumanDecision, type DecisionPlan, type Refusal } from '../domain/decision-rules.js';
import { stageDecisionMade } from '../events/decision-events.js';
import { toDecision } from './decision.mapper.js';
import { Application, Decision, SubmitDecisionPayload } from './decision.types.js';
import { SubmitDecisionInput } from './submit-decision.input.js';

export const decisionLoader = (ctx: SubgraphContext) =>
  loader(ctx, 'decision', () => new DecisionRepository(ctx.em).loader(tenantOf(ctx)));

export const decisionsByApplicationLoader = (ctx: SubgraphContext) =>
  loader(ctx, 'decisionsByApplication', () => new DecisionRepository(ctx.em).byApplicationLoader(tenantOf(ctx)));

function refusalError(r: Refusal) {
  if (r.code === 'FORBIDDEN') return forbidden(r.message);
  if (r.code === 'CONFLICT') return conflict(r.message);
  return badInput(r.message, r.problems ? { problems: r.problems } : undefined);
}

@Resolver(() => Decision)
export class DecisionResolver {
  @Authorized(Permission.DecisionView)
  @Query(() => Decision, { nullable: true, description: 'One decision of your tenant. Requires decision:view.' })
  async decision(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<Decision | null> {
    const record = await decisionLoader(ctx).load(id);
    return record ? toDecision(record) : null;
  }

  @Authorized(Permission.DecisionCreate)
  @Mutation(() => SubmitDecisionPayload, {
    description:
      'Decide the case you are reviewing (assigned to you and IN_PROGRESS). One final decision per application; ' +
      "a decision against the model's recommendation is an override and waits for a senior analyst. Requires decision:create.",
  })
  async submitDecision(@Arg('input', () => SubmitDecisionInput) input: SubmitDecisionInput, @Ctx() ctx: SubgraphContext): Promise<SubmitDecisionPayload> {
    const tenantId = tenantOf(ctx);
    const deciderId = ctx.caller.kind === 'user' ? ctx.caller.id : undefined;
    if (!deciderId) throw forbidden('Only an analyst signed in as a user can decide a case');

    const result = await new DecisionRepository(ctx.em).decideWithEvents(
      tenantId,
      input.applicationId,
      (facts): DecisionPlan => {
        // Taken under the application's lock: reviewSeconds and withinSla are measured at the decision itself.
        const verdict = planHumanDecision(input, { ...facts, deciderId, now: new Date() });
        if (!verdict.ok) throw refusalError(verdict.refusal);
        return verdict.plan;
      },
      (em, record) => stageDecisionMade(em, record, ctx.requestId),
    );
    if ('alreadyDecided' in result) throw conflict('The application already has a final decision');
    const { created } = result;
    ctx.log.info({ applicationId: created.applicationId, decisionId: created.id, outcome: created.outcome, isOverride: created.isOverride }, 'decision submitted');
    return { decision: toDecision(created) };
  }
}

@Resolver(() => Application)
export class ApplicationDecisionsResolver {
  @Authorized(Permission.DecisionView)
  @FieldResolver(() => [Decision], { description: 'Decisions on this application, oldest first. Requires decision:view.' })
  async decisions(@Root() application: Application, @Ctx() ctx: SubgraphContext): Promise<Decision[]> {
    const records = await decisionsByApplicationLoader(ctx).load(application.id);
    return records.map(toDecision);
  }
}
