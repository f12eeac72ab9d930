import type { ApplicationRecord } from '../data/application.entity.js';
import type { Application } from './application.types.js';

/** Entity → GraphQL shape. Money columns come back from PostgreSQL as strings. */
export function toApplication(r: ApplicationRecord): Application {
  return {
    id: r.id,
    externalId: r.externalId,
    status: r.status as Application['status'],
    submittedAt: r.submittedAt,
    applicant: r.applicant as Application['applicant'],
    financials: r.financials,
    loan: r.loan as Application['loan'],
    ratios: {
      debtToIncome: r.debtToIncome ?? null,
      loanToIncome: r.loanToIncome ?? null,
      paymentToIncome: r.paymentToIncome ?? null,
      monthlyInstalment: Number(r.monthlyInstalment),
    },
  };
}
