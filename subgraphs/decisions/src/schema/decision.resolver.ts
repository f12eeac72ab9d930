import {
  badInput,
  conflict,
  forbidden,
  loader,
  NOMINAL_ANNUAL_RATE,
  notFound,
  Permission,
  pageWindow,
  type SubgraphContext,
  tenantOf,
  toConnection,
} from '@tandem/platform';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DecisionRecord } from '../data/decision.entity.js';
import { DecisionRepository } from '../data/decision.repository.js';
import { CASE_CATCH_UP_MS, type DecisionPlan, mayBeCatchingUp, planHumanDecision, previewApprovalTerms, type Refusal } from '../domain/decision-rules.js';
import { checkConditionFulfilment, checklistItems, checkOverrideReview, type DecisionFacts } from '../domain/decision-workflow.js';
import { monthlyInstalment } from '../domain/instalment.js';
import { auditConditionFulfilled, auditOverrideReviewed } from '../events/decision-audit.js';
import { stageConditionFulfilled, stageDecisionNotices, stageOverrideReviewed } from '../events/decision-events.js';
import { toCondition, toContest, toDecision, toSubmittedDocument } from './decision.mapper.js';
import {
  Application,
  ApprovalTermsPreview,
  ChecklistItemState,
  Decision,
  DecisionCondition,
  DecisionConnection,
  DecisionContest,
  DocumentsChecklistItem,
  DocumentsRequest,
  SubmitDecisionPayload,
  SubmittedDocument,
} from './decision.types.js';
import { ApprovedTermsInput, ConditionInput, SubmitDecisionInput } from './submit-decision.input.js';

export const decisionLoader = (ctx: SubgraphContext) => loader(ctx, 'decision', () => new DecisionRepository(ctx.em).loader(tenantOf(ctx)));

export const decisionsByApplicationLoader = (ctx: SubgraphContext) =>
  loader(ctx, 'decisionsByApplication', () => new DecisionRepository(ctx.em).byApplicationLoader(tenantOf(ctx)));

const conditionsLoader = (ctx: SubgraphContext) => loader(ctx, 'conditions', () => new DecisionRepository(ctx.em).conditionsLoader(tenantOf(ctx)));
const contestLoader = (ctx: SubgraphContext) => loader(ctx, 'contest', () => new DecisionRepository(ctx.em).contestLoader(tenantOf(ctx)));
const documentsLoader = (ctx: SubgraphContext) => loader(ctx, 'documents', () => new DecisionRepository(ctx.em).documentsLoader(tenantOf(ctx)));

export function refusalError(r: Refusal) {
  if (r.code === 'FORBIDDEN') return forbidden(r.message);
  if (r.code === 'CONFLICT') return conflict(r.message);
  return badInput(r.message, r.problems ? { problems: r.problems } : undefined);
}

export const factsOf = (d: DecisionRecord): DecisionFacts => ({
  outcome: d.outcome,
  automated: d.automated,
  final: d.final,
  decidedBy: d.decidedBy ?? null,
  isOverride: d.isOverride,
  overrideStatus: d.overrideStatus ?? null,
});

/** Thrown inside the decision transaction (rolling it back) when the case view may be lagging behind the queue. */
class CatchingUp extends Error {}
const CATCH_UP_POLL_MS = 15;

/** Polls this subgraph's view of the case until it no longer looks behind the decider's own moves, or time is up. */
async function caseCaughtUp(repo: DecisionRepository, tenantId: string, applicationId: string, deciderId: string, untilMs: number): Promise<void> {
  while (Date.now() < untilMs) {
    await new Promise((r) => setTimeout(r, CATCH_UP_POLL_MS));
    if (!mayBeCatchingUp({ ...(await repo.caseView(tenantId, applicationId)), deciderId })) return;
  }
}

/** Deciding and reviewing are done by people: a user id, never an API client's. */
function userIdOf(ctx: SubgraphContext, what: string): string {
  if (ctx.caller.kind !== 'user' || !ctx.caller.id) throw forbidden(`Only an analyst signed in as a user can ${what}`);
  return ctx.caller.id;
}

@Resolver(() => Decision)
export class DecisionResolver {
  @Authorized(Permission.DecisionView)
  @Query(() => Decision, { nullable: true, description: 'One decision of your tenant. Requires decision:view.' })
  async decision(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<Decision | null> {
    const record = await decisionLoader(ctx).load(id);
    return record ? toDecision(record) : null;
  }

  @Authorized(Permission.DecisionApproveOverride)
  @Query(() => DecisionConnection, { description: 'Overrides waiting for a senior analyst, oldest first. Requires decision:approve_override.' })
  async pendingOverrides(
    @Ctx() ctx: SubgraphContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const { limit, offset } = pageWindow(first, after);
    const { items, total } = await new DecisionRepository(ctx.em).pendingOverrides(tenantOf(ctx), offset, limit);
    return toConnection(items.map(toDecision), total, offset);
  }

  @Authorized(Permission.DecisionCreate)
  @Query(() => ApprovalTermsPreview, {
    description:
      'What approving the application with these typed conditions (and terms) would grant and quote, computed as submitDecision computes it: ' +
      'the workbench shows it before the analyst sends the decision. BAD_USER_INPUT when submitDecision would refuse these terms. Requires decision:create.',
  })
  async approvalTermsPreview(
    @Arg('applicationId', () => ID) applicationId: string,
    @Arg('typedConditions', () => [ConditionInput], { nullable: true }) typedConditions: ConditionInput[] | null,
    @Arg('approvedTerms', () => ApprovedTermsInput, { nullable: true }) approvedTerms: ApprovedTermsInput | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ApprovalTermsPreview> {
    const tenantId = tenantOf(ctx);
    const score = await new DecisionRepository(ctx.em).scoreOf(tenantId, applicationId);
    if (!score) throw notFound('Application', applicationId);
    const requested = { amount: score.loanAmount, termMonths: score.termMonths };
    const preview = previewApprovalTerms({ typedConditions, approvedTerms }, requested);
    if (!preview.ok) throw badInput(`Invalid terms: ${preview.problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, { problems: preview.problems });
    return {
      requested,
      requestedMonthlyInstalment: monthlyInstalment(requested.amount, requested.termMonths),
      terms: preview.terms,
      monthlyInstalment: preview.monthlyInstalment,
      annualRate: NOMINAL_ANNUAL_RATE,
    };
  }

  @Authorized(Permission.DecisionCreate)
  @Mutation(() => SubmitDecisionPayload, {
    description:
      'Decide the case you are reviewing (assigned to you and IN_PROGRESS). One final decision per application; ' +
      "a decision against the model's recommendation is an override and waits for a senior analyst. Requires decision:create. " +
      'Until the queue’s news of your own last move on the case (e.g. startReview) has arrived here, it waits for it, up to 2 s, before answering CONFLICT.',
  })
  async submitDecision(@Arg('input', () => SubmitDecisionInput) input: SubmitDecisionInput, @Ctx() ctx: SubgraphContext): Promise<SubmitDecisionPayload> {
    const tenantId = tenantOf(ctx);
    const deciderId = userIdOf(ctx, 'decide a case');

    const repo = new DecisionRepository(ctx.em);
    const catchUpUntil = Date.now() + CASE_CATCH_UP_MS;
    let result: Awaited<ReturnType<DecisionRepository['decideWithEvents']>> | undefined;
    while (!result) {
      try {
        result = await repo.decideWithEvents(
          tenantId,
          input.applicationId,
          (facts): DecisionPlan => {
            // Taken under the application's lock: reviewSeconds and withinSla are measured at the decision itself.
            const verdict = planHumanDecision(input, { ...facts, deciderId, now: new Date() });
            if (verdict.ok) return verdict.plan;
            if (Date.now() < catchUpUntil && mayBeCatchingUp({ ...facts, deciderId })) throw new CatchingUp('the case view may be behind the queue');
            throw refusalError(verdict.refusal);
          },
          (em, record, webhookClientIds) => stageDecisionNotices(em, record, ctx.caller, ctx.requestId, webhookClientIds),
        );
      } catch (err) {
        if (!(err instanceof CatchingUp)) throw err;
        // The analyst's own start may still be on its way from the queue: wait for it (bounded), then judge again under the lock.
        await caseCaughtUp(repo, tenantId, input.applicationId, deciderId, catchUpUntil);
      }
    }
    if ('alreadyDecided' in result) throw conflict('The application already has a final decision');
    const { created } = result;
    ctx.log.info(
      { applicationId: created.applicationId, decisionId: created.id, outcome: created.outcome, isOverride: created.isOverride },
      'decision submitted',
    );
    return { decision: toDecision(created) };
  }

  @Authorized(Permission.DecisionApproveOverride)
  @Mutation(() => Decision, {
    description: 'Approve a PENDING override: the outcome stands and the partner is told. Not your own. Requires decision:approve_override.',
  })
  async approveOverride(@Arg('decisionId', () => ID) decisionId: string, @Ctx() ctx: SubgraphContext): Promise<Decision> {
    return toDecision(await this.reviewOverride(ctx, decisionId, 'APPROVE'));
  }

  @Authorized(Permission.DecisionApproveOverride)
  @Mutation(() => Decision, {
    description:
      'Reject a PENDING override (reason at least 20 characters): the decision no longer settles the application and the case goes back to its analyst. ' +
      'Not your own. Requires decision:approve_override.',
  })
  async rejectOverride(@Arg('decisionId', () => ID) decisionId: string, @Arg('reason') reason: string, @Ctx() ctx: SubgraphContext): Promise<Decision> {
    return toDecision(await this.reviewOverride(ctx, decisionId, 'REJECT', reason));
  }

  private async reviewOverride(ctx: SubgraphContext, decisionId: string, action: 'APPROVE' | 'REJECT', reason?: string): Promise<DecisionRecord> {
    const tenantId = tenantOf(ctx);
    const reviewerId = userIdOf(ctx, 'review an override');
    const record = await ctx.em.transactional(async (tx) => {
      const d = await new DecisionRepository(tx).lockDecision(tenantId, decisionId);
      if (!d) throw notFound('Decision', decisionId);
      const check = checkOverrideReview(factsOf(d), reviewerId, action, reason);
      if (!check.ok) throw refusalError(check.refusal);
      const before = { overrideStatus: d.overrideStatus ?? null, final: d.final };
      Object.assign(d, {
        overrideStatus: action === 'APPROVE' ? 'APPROVED' : 'REJECTED',
        overrideReviewedBy: reviewerId,
        overrideReviewedAt: new Date(),
        overrideRejectionReason: action === 'REJECT' ? reason?.trim() : null,
        // A rejected override settles nothing: the analyst decides the case again.
        final: action === 'APPROVE',
      });
      await stageOverrideReviewed(tx, d, ctx.requestId);
      auditOverrideReviewed(tx, before, d, ctx.caller, ctx.requestId);
      return d;
    });
    ctx.log.info({ decisionId, applicationId: record.applicationId, overrideStatus: record.overrideStatus }, 'override reviewed');
    return record;
  }

  @Authorized(Permission.DecisionCreate)
  @Mutation(() => DecisionCondition, { description: 'Mark a condition of a standing approval as met; the partner is told. Requires decision:create.' })
  async fulfilCondition(
    @Arg('decisionId', () => ID) decisionId: string,
    @Arg('conditionId', () => ID) conditionId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DecisionCondition> {
    const tenantId = tenantOf(ctx);
    const userId = userIdOf(ctx, 'mark a condition met');
    const condition = await ctx.em.transactional(async (tx) => {
      const repo = new DecisionRepository(tx);
      const d = await repo.lockDecision(tenantId, decisionId);
      if (!d) throw notFound('Decision', decisionId);
      const c = await repo.findCondition(tenantId, decisionId, conditionId);
      if (!c) throw notFound('Condition', conditionId);
      const check = checkConditionFulfilment(factsOf(d), { fulfilledAt: c.fulfilledAt ?? null });
      if (!check.ok) throw refusalError(check.refusal);
      Object.assign(c, { fulfilledAt: new Date(), fulfilledBy: userId });
      await stageConditionFulfilled(tx, d, c);
      auditConditionFulfilled(tx, d, c, ctx.caller, ctx.requestId);
      return c;
    });
    return toCondition(condition);
  }

  @FieldResolver(() => Application, { description: 'The application decided on: its applicant, loan and score come from their own subgraphs' })
  application(@Root() decision: Decision): Application {
    return { id: decision.applicationId };
  }

  @FieldResolver(() => [DecisionCondition], { description: 'The conditions with their kind and whether each is met, in order' })
  async typedConditions(@Root() decision: Decision, @Ctx() ctx: SubgraphContext): Promise<DecisionCondition[]> {
    return (await conditionsLoader(ctx).load(decision.id)).map(toCondition);
  }

  @FieldResolver(() => DecisionContest, { nullable: true, description: 'The contest of this automated decision, if any' })
  async contest(@Root() decision: Decision, @Ctx() ctx: SubgraphContext): Promise<DecisionContest | null> {
    const record = await contestLoader(ctx).load(decision.id);
    return record ? toContest(record) : null;
  }
}

@Resolver(() => DocumentsRequest)
export class DocumentsRequestResolver {
  @FieldResolver(() => [SubmittedDocument])
  async submittedDocuments(@Root() request: DocumentsRequest, @Ctx() ctx: SubgraphContext): Promise<SubmittedDocument[]> {
    return (await documentsLoader(ctx).load(request.decisionId))?.documents.map(toSubmittedDocument) ?? [];
  }

  @FieldResolver(() => [DocumentsChecklistItem], { description: 'Each checklist item, in the order asked, with its state and the documents that answer it' })
  async items(@Root() request: DocumentsRequest, @Ctx() ctx: SubgraphContext): Promise<DocumentsChecklistItem[]> {
    const stored = (await documentsLoader(ctx).load(request.decisionId))?.documents ?? [];
    return checklistItems(request.checklist, request.answeredAt != null, stored).map(({ item, state, documents }) => ({
      item,
      state: state as ChecklistItemState,
      documents: documents.map(toSubmittedDocument),
    }));
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
