/**
 * Emails are the login name. They are stored trimmed and lower-cased, so
 * "Ana@Demo.test " and "ana@demo.test" are one account and the unique index
 * on users.email holds globally.
 */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

// Deliberately simple: one @, something on both sides, a dot in the domain, no spaces.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MAX_EMAIL_LENGTH = 254;

export function isValidEmail(normalised: string): boolean {
  return normalised.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(normalised);
}
