import type { ReactNode } from 'react';
import type { CaseApplication } from '../../graphql/types';
import { formatDateTime, formatMoney, formatPercent, formatRatio, humanize } from '../../lib/format';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function ApplicantPanel({ app }: { app: CaseApplication }) {
  const a = app.applicant;
  return (
    <section className="panel" data-testid="applicant-panel">
      <h3>Applicant</h3>
      <dl className="fields">
        <Field label="Name">{`${a.firstName} ${a.lastName}`}</Field>
        <Field label="Email">{a.email ?? '—'}</Field>
        <Field label="Date of birth">{a.dateOfBirth}</Field>
        <Field label="Marital status">{humanize(a.maritalStatus)}</Field>
        <Field label="Housing">{humanize(a.housing)}</Field>
        <Field label="Employment">
          {a.employment
            ? [humanize(a.employment.type), a.employment.employer, a.employment.yearsEmployed != null ? `${a.employment.yearsEmployed} yrs` : null]
                .filter(Boolean)
                .join(' · ')
            : '—'}
        </Field>
      </dl>
    </section>
  );
}

export function FinancialsPanel({ app }: { app: CaseApplication }) {
  const f = app.financials;
  const c = app.loan.currency;
  return (
    <section className="panel" data-testid="financials-panel">
      <h3>
        Financials <span className="muted">(monthly)</span>
      </h3>
      <dl className="fields">
        <Field label="Income">{formatMoney(f.monthlyIncome, c)}</Field>
        <Field label="Expenses">{formatMoney(f.monthlyExpenses, c)}</Field>
        <Field label="Existing loan payments">{formatMoney(f.existingLoansMonthlyPayment, c)}</Field>
        <Field label="Assets">{formatMoney(f.assets, c)}</Field>
        <Field label="Debt">{formatMoney(f.debt, c)}</Field>
        <Field label="Past arrears">{f.pastArrears ? <span className="badge badge-bad">Yes</span> : <span className="badge badge-good">No</span>}</Field>
      </dl>
    </section>
  );
}

export function LoanPanel({ app }: { app: CaseApplication }) {
  const l = app.loan;
  const r = app.ratios;
  return (
    <section className="panel" data-testid="loan-panel">
      <h3>Loan &amp; ratios</h3>
      <dl className="fields">
        <Field label="Amount">{formatMoney(l.amount, l.currency)}</Field>
        <Field label="Term">{l.termMonths} months</Field>
        <Field label="Purpose">{humanize(l.purpose)}</Field>
        <Field label="Goods price">{formatMoney(l.goodsPrice, l.currency)}</Field>
        <Field label="Monthly instalment">{formatMoney(r.monthlyInstalment, l.currency)}</Field>
        <Field label="Debt-to-income">{formatRatio(r.debtToIncome)}</Field>
        <Field label="Loan-to-income">{formatRatio(r.loanToIncome)}</Field>
        <Field label="Payment-to-income">{r.paymentToIncome == null ? '—' : formatPercent(r.paymentToIncome)}</Field>
        <Field label="Submitted">{formatDateTime(app.submittedAt)}</Field>
      </dl>
    </section>
  );
}
