import type { z } from 'zod';

/** One validation problem: where (`rules[3].when[0].value`) and what, in plain words. */
export interface IssueText {
  path: string;
  message: string;
}

/** One validation problem with its path as keys, for callers that locate it in a source text. */
export interface FlatIssue {
  path: readonly PropertyKey[];
  issue: z.core.$ZodIssue;
}

/** `rules[3].when[0].value` for ['rules', 3, 'when', 0, 'value']; `(root)` for the empty path. */
export function issuePathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function flatten(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): FlatIssue[] {
  const path = [...prefix, ...issue.path];
  // A bad record key or element wraps the real reason; show that reason at the full path.
  if ((issue.code === 'invalid_key' || issue.code === 'invalid_element') && issue.issues.length > 0) {
    return issue.issues.flatMap((inner) => flatten(inner, path));
  }
  return [{ path, issue }];
}

/** The issues of a zod error with wrapped record issues unwrapped, each at its full path. */
export function flattenZodIssues(error: z.ZodError): FlatIssue[] {
  return error.issues.flatMap((issue) => flatten(issue, []));
}

/**
 * Turns a zod error into `{ path, message }` lines that a person can act on; an unknown key is a line
 * of its own at its own path, `unknown field`, as the admin API's other bodies name it.
 */
export function formatZodIssues(error: z.ZodError): IssueText[] {
  return flattenZodIssues(error).flatMap(({ path, issue }) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: issuePathText([...path, key]), message: 'unknown field' }))
      : [{ path: issuePathText(path), message: issue.message }],
  );
}
