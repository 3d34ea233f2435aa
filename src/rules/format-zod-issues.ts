import type { z } from 'zod';

/** One validation problem: where (`rules[3].when[0].value`) and what, in plain words. */
export interface IssueText {
  path: string;
  message: string;
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function flatten(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): IssueText[] {
  const path = [...prefix, ...issue.path];
  // A bad record key or element wraps the real reason; show that reason at the full path.
  if ((issue.code === 'invalid_key' || issue.code === 'invalid_element') && issue.issues.length > 0) {
    return issue.issues.flatMap((inner) => flatten(inner, path));
  }
  return [{ path: pathText(path), message: issue.message }];
}

/** Turns a zod error into `{ path, message }` lines that a person can act on. */
export function formatZodIssues(error: z.ZodError): IssueText[] {
  return error.issues.flatMap((issue) => flatten(issue, []));
}
