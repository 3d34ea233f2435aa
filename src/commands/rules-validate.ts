import { readFile } from 'node:fs/promises';
import {
  formatRuleFileIssue,
  parseRuleFile,
  type FileRule,
  type RuleFileParse,
} from '../rule-files/rule-file.js';
import type { CommandOutput } from './command-output.js';

/** Reads and validates a rule file; an unreadable file is reported like a problem at 1:1. */
export async function readRuleFile(file: string): Promise<RuleFileParse> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const message = `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    return { ok: false, issues: [{ line: 1, column: 1, path: '(file)', message }] };
  }
  return parseRuleFile(text);
}

/** Prints each problem as `file:line:col: path: message` on stderr, then how many. */
export function printRuleFileIssues(file: string, parsed: RuleFileParse & { ok: false }, out: CommandOutput) {
  const lines = parsed.issues.map((i) => formatRuleFileIssue(file, i));
  const count = parsed.issues.length;
  out.stderr(`${lines.join('\n')}\n${file}: ${count} ${count === 1 ? 'error' : 'errors'}\n`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `3 rules for 1 merchant (alipay.acquire.overseas.spot.pay 2, alipay.acquire.overseas.query 1)`. */
export function ruleCounts(rules: readonly FileRule[]): string {
  const services = new Map<string, number>();
  for (const r of rules) services.set(r.service, (services.get(r.service) ?? 0) + 1);
  const partners = new Set(rules.map((r) => r.partner)).size;
  const detail = [...services].map(([s, n]) => `${s} ${n}`).join(', ');
  return `${plural(rules.length, 'rule')} for ${plural(partners, 'merchant')}${detail ? ` (${detail})` : ''}`;
}

/** `alipay-mock rules validate <file>`: exit 0 with `OK` and counts, or 1 with every problem located. */
export async function rulesValidateCommand(file: string, out: CommandOutput): Promise<number> {
  const parsed = await readRuleFile(file);
  if (!parsed.ok) {
    printRuleFileIssues(file, parsed, out);
    return 1;
  }
  out.stdout(`${file}: OK, ${ruleCounts(parsed.rules)}\n`);
  return 0;
}
