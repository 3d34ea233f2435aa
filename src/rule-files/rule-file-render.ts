import { stringify } from 'yaml';
import type { RuleDefinitionInput } from '../rules/rule-definition.js';

/** The formats a rule file is written in. */
export const RULE_FILE_FORMATS = ['yaml', 'json'] as const;

/** One rule file format. */
export type RuleFileFormat = (typeof RULE_FILE_FORMATS)[number];

/** A rule with its id, in any shape that carries a definition (a stored rule, the admin API's JSON). */
export type IdentifiedRule = RuleDefinitionInput & { id: string };

/** The rule as a person would write it: defaults (priority 0, enabled, no conditions) and nulls left out. */
export function fileRuleEntry(rule: IdentifiedRule): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: rule.id,
    partner: rule.partner,
    service: rule.service,
    name: rule.name,
  };
  if (rule.priority !== 0) entry.priority = rule.priority;
  if (!rule.enabled) entry.enabled = false;
  if (Array.isArray(rule.when) && rule.when.length > 0) entry.when = rule.when;
  entry.then = rule.then;
  if (rule.times !== null && rule.times !== undefined) entry.times = rule.times;
  if (rule.expiresAt !== null && rule.expiresAt !== undefined)
    entry.expiresAt = new Date(rule.expiresAt).toISOString();
  return entry;
}

/**
 * A rule file (`{version: 1, rules}`) as YAML or JSON text. YAML quotes every string that would read
 * as a number ("12.34", PIDs), so the text parses back to the same rules.
 */
export function renderRuleFile(
  rules: readonly IdentifiedRule[],
  format: RuleFileFormat,
  comment?: string,
): string {
  const file = { version: 1, rules: rules.map(fileRuleEntry) };
  if (format === 'json') return `${JSON.stringify(file, null, 2)}\n`;
  const head = comment === undefined ? '' : `${comment.replace(/^/gm, '# ')}\n`;
  return `${head}${stringify(file, { lineWidth: 0 })}`;
}
