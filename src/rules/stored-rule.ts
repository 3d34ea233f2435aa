import type { Rule } from './rule-schema.js';

/** A custom mock rule as stored; `when` and `then` as validated by RULE_SCHEMA (src/rules/rule-schema.ts). */
export interface StoredRule {
  id: string;
  partner: string;
  /** A service name or '*' for all four. */
  service: string;
  name: string;
  priority: number;
  enabled: boolean;
  when: Rule['when'];
  then: Rule['then'];
  /** Lifetime in matches, or null for unlimited. */
  times: number | null;
  /** Matches consumed so far. */
  hits: number;
  expiresAt: Date | null;
  /** Monotonic creation order; newer rules win ties of priority. */
  seq: number;
  createdAt: Date;
  updatedAt: Date;
}
