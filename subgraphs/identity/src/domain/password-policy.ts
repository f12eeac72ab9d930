/**
 * What a new password must satisfy. Length is what matters (NIST 800-63B):
 * no composition rules. The upper bound keeps a request from making us hash
 * megabytes. Counted in code points, so "ünïcödé" counts what a person typed.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function passwordProblems(password: string, email?: string): string[] {
  const length = [...password].length;
  const problems: string[] = [];
  if (length < MIN_PASSWORD_LENGTH) problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (length > MAX_PASSWORD_LENGTH) problems.push(`must be at most ${MAX_PASSWORD_LENGTH} characters`);
  if (password.trim().length === 0 && length > 0) problems.push('must not be only spaces');
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) problems.push('must not be the email address');
  return problems;
}
