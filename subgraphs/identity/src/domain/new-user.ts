import { isKnownRole } from './effective-permissions.js';
import { isValidEmail, normaliseEmail } from './email.js';
import { passwordProblems } from './password-policy.js';

export interface NewUser {
  email: string;
  name: string;
  role: string;
  password: string;
}

export interface Problem {
  field: string;
  problem: string;
}

export const MAX_NAME_LENGTH = 200;

/** Every problem with a user an admin wants to create, each with its field; empty when it can be created. */
export function validateNewUser(input: NewUser): Problem[] {
  const problems: Problem[] = [];
  const email = normaliseEmail(input.email);
  if (!isValidEmail(email)) problems.push({ field: 'email', problem: 'is not a valid email address' });
  for (const problem of displayNameProblems(input.name)) problems.push({ field: 'name', problem });
  if (!isKnownRole(input.role)) problems.push({ field: 'role', problem: 'is not a known role' });
  for (const problem of passwordProblems(input.password, email)) problems.push({ field: 'password', problem });
  return problems;
}

/** Names of users and API clients: shown in the workbench and audit trail, so present and bounded. */
export function displayNameProblems(name: string): string[] {
  const trimmed = name.trim();
  if (!trimmed) return ['is required'];
  if (trimmed.length > MAX_NAME_LENGTH) return [`must be at most ${MAX_NAME_LENGTH} characters`];
  return [];
}
