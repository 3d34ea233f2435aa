import { StoreConflictError } from '../ports/store-conflict-error.js';
import type { Store } from '../storage/store.js';
import { hashPassword, verifyPassword } from './password-hash.js';

/** Shortest console password. */
export const MIN_PASSWORD_LENGTH = 8;

const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,189}$/;

/** Problems with a new login's email or password, by field. */
export type LoginProblems = Partial<Record<'email' | 'password' | 'current', string>>;

function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 200) return 'at most 200 characters';
  return undefined;
}

/**
 * Creates a console login for a merchant, or sets a new password on one of its logins (operator).
 * An email that signs in to another merchant is refused.
 */
export async function setMerchantLogin(
  store: Store,
  partner: string,
  emailInput: string,
  password: string,
): Promise<LoginProblems> {
  const email = emailInput.trim().toLowerCase();
  const problems: LoginProblems = {};
  if (!EMAIL.test(email)) problems.email = 'an email address such as shop@example.test';
  const weak = passwordProblem(password);
  if (weak) problems.password = weak;
  if (problems.email || problems.password) return problems;
  const existing = await store.getConsoleAccount(email);
  if (existing && existing.partner !== partner) return { email: 'this email signs in to another merchant' };
  const passwordHash = await hashPassword(password);
  if (existing) {
    await store.setConsoleAccountPassword(email, passwordHash);
    await store.deleteOtherConsoleSessions(email);
    return {};
  }
  try {
    await store.createConsoleAccount({ email, partner, passwordHash });
  } catch (err) {
    if (!(err instanceof StoreConflictError)) throw err;
    return { email: 'this email was just taken' };
  }
  return {};
}

/** A merchant changes its own password: the current one must match; other sessions are signed out. */
export async function changeOwnPassword(
  store: Store,
  email: string,
  current: string,
  next: string,
  keepSessionIdHash: string,
): Promise<LoginProblems> {
  const account = await store.getConsoleAccount(email);
  if (!account || !(await verifyPassword(current, account.passwordHash))) {
    return { current: 'this is not the current password' };
  }
  const weak = passwordProblem(next);
  if (weak) return { password: weak };
  await store.setConsoleAccountPassword(email, await hashPassword(next));
  await store.deleteOtherConsoleSessions(email, keepSessionIdHash);
  return {};
}
