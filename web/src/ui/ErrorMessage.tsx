import type { CombinedError } from 'urql';

export interface FieldProblem {
  field: string;
  problem: string;
}

export interface DescribedError {
  message: string;
  code: string | null;
  /** The server's per-field problems (extensions.details.problems on BAD_USER_INPUT), if it sent any. */
  problems: FieldProblem[];
}

function problemsOf(details: unknown): FieldProblem[] {
  const list = (details as { problems?: unknown } | null | undefined)?.problems;
  if (!Array.isArray(list)) return [];
  return list.filter((p): p is FieldProblem => typeof p?.field === 'string' && typeof p?.problem === 'string');
}

/** The server's own message (and extensions.code) rather than urql's "[GraphQL] …" prefix. */
export function describeError(error: CombinedError): DescribedError {
  const gqlError = error.graphQLErrors[0];
  if (gqlError) {
    const code = gqlError.extensions?.code;
    return {
      message: error.graphQLErrors.map((e) => e.message).join('; '),
      code: typeof code === 'string' ? code : null,
      problems: error.graphQLErrors.flatMap((e) => problemsOf(e.extensions?.details)),
    };
  }
  if (error.networkError) {
    return { message: `Cannot reach the server: ${error.networkError.message}`, code: 'NETWORK', problems: [] };
  }
  return { message: error.message, code: null, problems: [] };
}

export function ErrorMessage({ error, testId = 'error-message' }: { error: CombinedError | string; testId?: string }) {
  const described = typeof error === 'string' ? { message: error, code: null, problems: [] } : describeError(error);
  // With field problems the list says it all; the message only repeats them.
  const hasProblems = described.problems.length > 0;
  return (
    <div className="error" role="alert" data-testid={testId} data-code={described.code ?? undefined}>
      {described.code && <span className="error-code">{described.code}</span>}
      {hasProblems ? (
        <ul className="error-problems">
          {described.problems.map((p) => (
            <li key={`${p.field}:${p.problem}`}>
              <code>{p.field}</code>: {p.problem}
            </li>
          ))}
        </ul>
      ) : (
        <span>{described.message}</span>
      )}
    </div>
  );
}
