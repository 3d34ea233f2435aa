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

/** Web console logins, their sessions and the sign-in rate limit's counters. */
export interface ConsoleAccounts {
  /** @throws StoreConflictError when a login with this email exists */
  createConsoleAccount(account: NewConsoleAccount): Promise<ConsoleAccount>;
  /** The web console login with this (lower-case) email. */
  getConsoleAccount(email: string): Promise<ConsoleAccount | undefined>;
  /** One merchant's console logins, by email. */
  listConsoleAccounts(partner: string): Promise<ConsoleAccount[]>;
  /** Replaces a login's password hash; false when there is no such login. */
  setConsoleAccountPassword(email: string, passwordHash: string): Promise<boolean>;
  /** Deletes a login and ends its sessions; false when there was no such login. */
  deleteConsoleAccount(email: string): Promise<boolean>;
  createConsoleSession(session: ConsoleSession): Promise<void>;
  /** The session with this id hash, unless it expired by `now`. */
  getConsoleSession(idHash: string, now: Date): Promise<ConsoleSession | undefined>;
  deleteConsoleSession(idHash: string): Promise<void>;
  /** Ends every session of a login but `keepIdHash` (after a password change). */
  deleteOtherConsoleSessions(email: string, keepIdHash?: string): Promise<void>;
  /** Deletes sessions that expired by `now`; returns how many. */
  pruneConsoleSessions(now: Date): Promise<number>;
  /**
   * Adds `delta` to the sign-in attempts of `key` in the window starting at `windowStart` and returns
   * the new count, atomically across instances; windows older than `forgetBefore` are deleted.
   */
  addLoginAttempts(key: string, windowStart: number, delta: number, forgetBefore: number): Promise<number>;
}
