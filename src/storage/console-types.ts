/** A web console login: an email that signs in as one merchant. */
export interface ConsoleAccount {
  /** Lower case; the primary key. */
  email: string;
  partner: string;
  /** `scrypt$N$r$p$salt$hash` (src/console/password-hash.ts). */
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A web console session as stored: only the SHA-256 of its id. */
export interface ConsoleSession {
  /** Lower-case hex SHA-256 of the session id the cookie carries. */
  idHash: string;
  kind: 'merchant' | 'operator';
  /** The merchant of a merchant session; null for the operator. */
  partner: string | null;
  /** The login of a merchant session; null for the operator. */
  email: string | null;
  /**
   * How an operator signed in: the SHA-256 of the admin token, or `loopback` when none was configured;
   * the session ends when that no longer holds (token changed, request not from loopback).
   */
  operatorRef: string | null;
  /** Per-session CSRF token every console form carries. */
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

/** Fields a caller supplies to create a console login; timestamps are set by the store. */
export type NewConsoleAccount = Pick<ConsoleAccount, 'email' | 'partner' | 'passwordHash'>;
