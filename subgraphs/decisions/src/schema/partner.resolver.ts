import { notFound, Permission, type SubgraphContext, tenantOf, unauthenticated } from '@tandem/platform';
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { DecisionRepository } from '../data/decision.repository.js';
import { checkContest, checkDocumentsSubmission, type SubmittedDocument as SubmittedDocumentValue } from '../domain/decision-workflow.js';
import { auditContested, auditDocumentsSubmitted } from '../events/decision-audit.js';
import { stageDecisionContested, stageDocumentsSubmitted } from '../events/decision-events.js';
import { toContest, toDecision } from './decision.mapper.js';
import { factsOf, refusalError } from './decision.resolver.js';
import { Decision, DecisionContest } from './decision.types.js';
import { SubmittedDocumentInput } from './submit-decision.input.js';

const callerIdOf = (ctx: SubgraphContext): string => {
  if (!ctx.caller.id) throw unauthenticated();
  return ctx.caller.id;
};

/** What a partner does about a decision on the applicant's behalf. */
@Resolver()
export class PartnerResolver {
  @Authorized(Permission.ApplicationCreate)
  @Mutation(() => DecisionContest, {
    description:
      "Contest an automated decision on the applicant's behalf (GDPR Art. 22(3)): it stops settling the application and a human re-reviews it " +
      'with the original evidence. Statement of at least 20 characters; once per decision. Requires application:create.',
  })
  async contestDecision(
    @Arg('applicationId', () => ID) applicationId: string,
    @Arg('statement') statement: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DecisionContest> {
    const tenantId = tenantOf(ctx);
    const contestedBy = callerIdOf(ctx);
    const contest = await ctx.em.transactional(async (tx) => {
      const repo = new DecisionRepository(tx);
      // The score row is the application's lock: no decision can land while the contest is taken.
      const score = await repo.lockScore(tenantId, applicationId);
      if (!score) throw notFound('Application', applicationId);
      const decision = await repo.findFinalDecision(tenantId, applicationId);
      const check = checkContest(decision && factsOf(decision), decision ? await repo.isContested(tenantId, decision.id) : false, statement);
      if (!check.ok) throw refusalError(check.refusal);
      const d = decision as NonNullable<typeof decision>;
      const created = repo.createContest(tenantId, d, statement.trim(), contestedBy, new Date());
      d.final = false;
      stageDecisionContested(tx, created, ctx.requestId);
      auditContested(tx, d, created, ctx.caller, ctx.requestId);
      return created;
    });
    ctx.log.info({ applicationId, contestId: contest.id, decisionId: contest.decisionId }, 'automated decision contested');
    return toContest(contest);
  }

  @Authorized(Permission.ApplicationCreate)
  @Mutation(() => Decision, {
    description:
      'Answer the open documents request of an application: the documents are recorded, the case goes back to its analyst and its SLA clock resumes. ' +
      'Returns the answered DOCUMENTS_REQUESTED decision. Requires application:create.',
  })
  async submitDocuments(
    @Arg('applicationId', () => ID) applicationId: string,
    @Arg('documents', () => [SubmittedDocumentInput]) documents: SubmittedDocumentInput[],
    @Ctx() ctx: SubgraphContext,
  ): Promise<Decision> {
    const tenantId = tenantOf(ctx);
    const submittedBy = callerIdOf(ctx);
    const docs: SubmittedDocumentValue[] = documents.map((d) => ({
      name: d.name.trim(),
      kind: d.kind.trim(),
      url: d.url ?? null,
      checklistItem: d.checklistItem?.trim() ?? null,
    }));
    const request = await ctx.em.transactional(async (tx) => {
      const repo = new DecisionRepository(tx);
      const score = await repo.lockScore(tenantId, applicationId);
      if (!score) throw notFound('Application', applicationId);
      const latest = await repo.findLatestDecision(tenantId, applicationId);
      const settled = await repo.hasFinalDecision(tenantId, applicationId);
      const check = checkDocumentsSubmission(
        latest && { ...factsOf(latest), documentsAnsweredAt: latest.documentsAnsweredAt ?? null, documentsChecklist: latest.documentsChecklist ?? [] },
        settled,
        docs,
      );
      if (!check.ok) throw refusalError(check.refusal);
      const answered = latest as NonNullable<typeof latest>;
      const now = new Date();
      const submission = repo.createDocumentSubmission(tenantId, answered, docs, submittedBy, now);
      answered.documentsAnsweredAt = now;
      stageDocumentsSubmitted(tx, submission, ctx.requestId);
      auditDocumentsSubmitted(tx, answered, submission, ctx.caller, ctx.requestId);
      return answered;
    });
    ctx.log.info({ applicationId, decisionId: request.id, documents: docs.length }, 'documents submitted');
    return toDecision(request);
  }
}
