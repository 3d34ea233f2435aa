import { flattenZodIssues, issuePathText } from '../rules/format-zod-issues.js';
import { excessiveNesting, MAX_RULE_FILE_NESTING } from './rule-file-nesting.js';
import { parseRuleFileSource, type RuleFileSource, type SourcePosition } from './rule-file-source.js';
import { RULE_FILE_SCHEMA, type Rule } from '../rules/rule-schema.js';

/** A rule as a rule file holds it: always a custom rule (a partner) with an id. */
export type FileRule = Rule & { id: string; partner: string };

/** One problem of a rule file, where it is written: line and column (1-based), path and message. */
export interface RuleFileIssue extends SourcePosition {
  path: string;
  message: string;
}

/**
 * A rule file read: its rules and the line each starts on (found when asked: for JSON that takes a
 * second, slower parse), or every problem found.
 */
export type RuleFileParse =
  { ok: true; rules: FileRule[]; lineOf: (index: number) => number } | { ok: false; issues: RuleFileIssue[] };

/**
 * `serve --rules` stores a file rule under `file:<id>` and owns every rule whose id starts with it
 * (docs/rules.md, "Rule files"); an id that already starts with it is kept as it is.
 */
export const FILE_RULE_ID_PREFIX = 'file:';

/** The longest id a rule accepts (rule-schema.ts). */
const MAX_ID_LENGTH = 64;

/** The id under which `serve --rules` stores a file rule. */
export function storedFileRuleId(id: string): string {
  return id.startsWith(FILE_RULE_ID_PREFIX) ? id : `${FILE_RULE_ID_PREFIX}${id}`;
}

/** `rules.yaml:4:7: rules[0].when[0].value: message`, the form compilers use. */
export function formatRuleFileIssue(fileName: string, issue: RuleFileIssue): string {
  return `${fileName}:${issue.line}:${issue.column}: ${issue.path}: ${issue.message}`;
}

/** What the schema cannot say: a file rule needs an id and a partner, and room for the `file:` prefix. */
function fileRuleProblems(data: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const rules = (data as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return [];
  const problems: Array<{ path: PropertyKey[]; message: string }> = [];
  rules.forEach((rule: unknown, i) => {
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return;
    const { id, partner } = rule as { id?: unknown; partner?: unknown };
    if (id === undefined) {
      problems.push({
        path: ['rules', i],
        message: 'id is required in a rule file: reloads and imports find the rule by it',
      });
    } else if (typeof id === 'string' && storedFileRuleId(id).length > MAX_ID_LENGTH) {
      problems.push({
        path: ['rules', i, 'id'],
        message: `id is at most ${MAX_ID_LENGTH - FILE_RULE_ID_PREFIX.length} characters in a rule file (serve --rules stores it as ${FILE_RULE_ID_PREFIX}<id>)`,
      });
    }
    if (partner === null) {
      problems.push({
        path: ['rules', i, 'partner'],
        message: 'a rule file holds custom rules: partner is the merchant PID (default rules are built in)',
      });
    }
  });
  return problems;
}

/** A number where text is expected is usually an unquoted amount or PID in YAML: say how to fix it. */
function withHint(message: string, source: string | undefined): string {
  if (source === undefined || !/string/.test(message) || !/^[-+]?[0-9][0-9._eE+-]*$/.test(source)) {
    return message;
  }
  return `${message} (write it in quotes, "${source}": YAML reads it as a number)`;
}

function locateIssue(
  src: RuleFileSource,
  path: readonly PropertyKey[],
  message: string,
  key?: string,
): RuleFileIssue {
  const where = src.locate(path, key);
  const last = path[path.length - 1];
  const missing = !where.exists && message.endsWith('received undefined');
  return {
    line: where.line,
    column: where.column,
    path: issuePathText(path),
    message: missing ? `${String(last)} is required` : withHint(message, where.source),
  };
}

/**
 * Reads and validates a rule file (YAML or JSON) without any I/O: every problem comes back with the
 * line and column where it is written, e.g. `rules[3].when[0].value` → 12:18.
 */
export function parseRuleFile(text: string): RuleFileParse {
  const deep = excessiveNesting(text);
  if (deep !== undefined) {
    const message = `nested deeper than ${MAX_RULE_FILE_NESTING} levels (a rule file needs about 8): refused before parsing`;
    return { ok: false, issues: [{ ...deep, path: '(syntax)', message }] };
  }
  const src = parseRuleFileSource(text);
  if (src.syntaxErrors.length > 0) {
    return {
      ok: false,
      issues: src.syntaxErrors.map((e) => ({ ...e, path: '(syntax)', message: e.message })),
    };
  }
  const issues: RuleFileIssue[] = fileRuleProblems(src.data).map((p) => locateIssue(src, p.path, p.message));
  const result = RULE_FILE_SCHEMA.safeParse(src.data);
  if (!result.success) {
    for (const { path, issue } of flattenZodIssues(result.error)) {
      if (issue.code !== 'unrecognized_keys') {
        issues.push(locateIssue(src, path, issue.message));
        continue;
      }
      // An unknown key is shown on the key itself, not on the whole rule.
      for (const key of issue.keys) {
        const where = locateIssue(src, path, '', key);
        issues.push({ ...where, path: issuePathText([...path, key]), message: `unknown key "${key}"` });
      }
    }
  }
  if (issues.length > 0) {
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, issues };
  }
  const rules = (result.data?.rules ?? []) as FileRule[];
  return { ok: true, rules, lineOf: (index) => src.locate(['rules', index]).line };
}
