import type { CombinedError } from 'urql';

export interface DescribedError {
  message: string;
  code: string | null;
}

/** The server's own message (and extensions.code) rather than urql's "[GraphQL] …" prefix. */
export function describeError(error: CombinedError): DescribedError {
  const gqlError = error.graphQLErrors[0];
  if (gqlError) {
    const code = gqlError.extensions?.code;
    return {
      message: error.graphQLErrors.map((e) => e.message).join('; '),
      code: typeof code === 'string' ? code : null,
    };
  }
  if (error.networkError) {
    return { message: `Cannot reach the server: ${error.networkError.message}`, code: 'NETWORK' };
  }
  return { message: error.message, code: null };
}

export function ErrorMessage({ error, testId = 'error-message' }: { error: CombinedError | string; testId?: string }) {
  const described = typeof error === 'string' ? { message: error, code: null } : describeError(error);
  return (
    <div className="error" role="alert" data-testid={testId}>
      {described.code && <span className="error-code">{described.code}</span>}
      <span>{described.message}</span>
    </div>
  );
}
