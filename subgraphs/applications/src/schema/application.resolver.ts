import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { badInput, conflict, loader, pageWindow, Permission, tenantOf, toConnection, type SubgraphContext } from '@tandem/platform';
import { ApplicationRepository } from '../data/application.repository.js';
import { deriveRatios } from '../domain/derived-ratios.js';
import { submissionFingerprint, toScoringInput, validateSubmission, type Submission } from '../domain/submission.js';
import { stageSubmissionAudit, stageSubmitted } from '../events/application-events.js';
import { toApplication } from './application.mapper.js';
import { Application, ApplicationConnection, ApplicationOrder, SubmitApplicationPayload } from './application.types.js';
import { ApplicationFilterInput, SubmitApplicationInput } from './submit-application.input.js';

export const applicationLoader = (ctx: SubgraphContext) =>
  loader(ctx, 'application', () => new ApplicationRepository(ctx.em).loader(tenantOf(ctx)));

@Resolver(() => Application)
export class ApplicationResolver {
  @Authorized(Permission.ApplicationView)
  @Query(() => Application, { nullable: true, description: 'One application of your tenant. Requires application:view.' })
  async application(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<Application | null> {
    const record = await applicationLoader(ctx).load(id);
    return record ? toApplication(record) : null;
  }

  @Authorized(Permission.ApplicationView)
  @Query(() => ApplicationConnection, { description: 'Applications of your tenant, newest first by default. Requires application:view.' })
  async applications(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => ApplicationFilterInput, { nullable: true }) filter?: ApplicationFilterInput,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('orderBy', () => ApplicationOrder, { nullable: true }) orderBy?: ApplicationOrder,
  ) {
    const { limit, offset } = pageWindow(first, after);
    const { items, total } = await new ApplicationRepository(ctx.em).list(tenantOf(ctx), filter ?? {}, orderBy ?? ApplicationOrder.SUBMITTED_DESC, limit, offset);
    return toConnection(items.map(toApplication), total, offset);
  }

  @Authorized(Permission.ApplicationCreate)
  @Mutation(() => SubmitApplicationPayload, {
    description: 'Submit a loan application for scoring. Idempotent on externalId: a retry returns the same application. Requires application:create.',
  })
  async submitApplication(@Arg('input', () => SubmitApplicationInput) input: SubmitApplicationInput, @Ctx() ctx: SubgraphContext): Promise<SubmitApplicationPayload> {
    const tenantId = tenantOf(ctx);
    const now = new Date();
    const submission = input as Submission;
    const problems = validateSubmission(submission, now);
    if (problems.length) throw badInput(`Invalid application: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, { problems });

    const fingerprint = submissionFingerprint(submission);
    const repo = new ApplicationRepository(ctx.em);
    const retried = await repo.findByExternalId(tenantId, input.externalId);
    if (retried) return this.replay(retried, fingerprint);

    const ratios = deriveRatios({
      monthlyIncome: input.financials.monthlyIncome ?? null,
      debt: input.financials.debt ?? null,
      existingLoansMonthlyPayment: input.financials.existingLoansMonthlyPayment ?? null,
      loanAmount: input.loan.amount,
      termMonths: input.loan.termMonths,
    });
    const result = await repo.insertWithEvents(
      {
        tenantId,
        externalId: input.externalId,
        status: 'PENDING',
        applicant: { ...input.applicant, dateOfBirth: input.applicant.dateOfBirth.toISOString().slice(0, 10) },
        financials: { ...input.financials },
        loan: { ...input.loan, purpose: input.loan.purpose ?? 'CONSUMER_GOODS', currency: input.loan.currency ?? 'EUR' },
        loanAmount: input.loan.amount.toFixed(2),
        monthlyInstalment: ratios.monthlyInstalment.toFixed(2),
        debtToIncome: ratios.debtToIncome,
        loanToIncome: ratios.loanToIncome,
        paymentToIncome: ratios.paymentToIncome,
        fingerprint,
        submittedBy: ctx.caller.id ?? 'unknown',
        submittedAt: now,
      },
      (em, record) => {
        stageSubmitted(em, record, toScoringInput(submission, now), ctx.requestId);
        stageSubmissionAudit(em, record, ctx.caller, ctx.requestId);
      },
    );
    if ('existing' in result) return this.replay(result.existing, fingerprint);
    ctx.log.info({ applicationId: result.created.id }, 'application submitted');
    return { application: toApplication(result.created), created: true };
  }

  private replay(existing: Parameters<typeof toApplication>[0], fingerprint: string): SubmitApplicationPayload {
    if (existing.fingerprint !== fingerprint) {
      throw conflict(`externalId ${existing.externalId} was already used for a different application`, { applicationId: existing.id });
    }
    return { application: toApplication(existing), created: false };
  }
}
