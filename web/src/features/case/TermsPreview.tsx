import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { APPROVAL_TERMS_PREVIEW } from '../../graphql/operations';
import { formatMoney } from '../../lib/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { type ConditionDraft, reductionInputs } from './decision-logic';

/** How long the typing must pause before the server is asked again. */
export const PREVIEW_DELAY_MS = 300;

/**
 * What an approval with the reductions entered so far would grant, and its instalment, as the server will
 * compute it on submit (approvalTermsPreview): the analyst sees the new repayment before deciding.
 */
export function TermsPreview({ applicationId, conditions, currency }: { applicationId: string; conditions: ConditionDraft[]; currency: string }) {
  const wanted = JSON.stringify(reductionInputs(conditions));
  const [asked, setAsked] = useState(wanted);
  useEffect(() => {
    const timer = setTimeout(() => setAsked(wanted), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [wanted]);
  const typedConditions = JSON.parse(asked) as ReturnType<typeof reductionInputs>;
  const [result] = useQuery({
    query: APPROVAL_TERMS_PREVIEW,
    variables: { applicationId, typedConditions: typedConditions ?? [] },
    pause: !typedConditions,
  });
  if (!typedConditions) return null;
  if (result.error) return <ErrorMessage error={result.error} testId="terms-preview-error" />;
  const preview = result.data?.approvalTermsPreview;
  if (!preview) return <div className="terms-summary muted" data-testid="terms-preview">Quoting the new terms…</div>;
  return (
    <div className="terms-summary" data-testid="terms-preview">
      Grants <strong>{formatMoney(preview.terms.amount, currency)}</strong> over <strong>{preview.terms.termMonths} months</strong> · instalment{' '}
      <strong>{formatMoney(preview.monthlyInstalment, currency, 2)}</strong>/month (requested terms: {formatMoney(preview.requestedMonthlyInstalment, currency, 2)}
      /month)
    </div>
  );
}
