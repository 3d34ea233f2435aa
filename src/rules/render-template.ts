/**
 * Response field templates: `{{name}}` is the request parameter `name` (empty when absent) and
 * `{{now:yyyyMMddHHmmss}}` the current time in Beijing time (GMT+8, docs/reference/alipay-mapi-protocol.md §2).
 * Nothing else is interpreted, and nothing is ever executed.
 */

const PLACEHOLDER = /\{\{([A-Za-z0-9_]+)(?::([^{}]*))?\}\}/g;
/** The same placeholder, anchored where a `{{` was found (for validation). */
const PLACEHOLDER_AT = /\{\{([A-Za-z0-9_]+)(?::([^{}]*))?\}\}/y;
const FORMAT_TOKEN = /yyyy|MM|dd|HH|mm|ss|SSS|[-: /.T]/y;
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

function tokens(format: string): string[] | undefined {
  const out: string[] = [];
  FORMAT_TOKEN.lastIndex = 0;
  while (FORMAT_TOKEN.lastIndex < format.length) {
    const m = FORMAT_TOKEN.exec(format);
    if (!m) return undefined;
    out.push(m[0]);
  }
  return out.length > 0 ? out : undefined;
}

function formatBeijing(now: Date, format: string): string | undefined {
  const parts = tokens(format);
  if (!parts) return undefined;
  const d = new Date(now.getTime() + BEIJING_OFFSET_MS);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const values: Record<string, string> = {
    yyyy: pad(d.getUTCFullYear(), 4),
    MM: pad(d.getUTCMonth() + 1),
    dd: pad(d.getUTCDate()),
    HH: pad(d.getUTCHours()),
    mm: pad(d.getUTCMinutes()),
    ss: pad(d.getUTCSeconds()),
    SSS: pad(d.getUTCMilliseconds(), 3),
  };
  return parts.map((t) => values[t] ?? t).join('');
}

/** Fills `{{param}}` and `{{now:format}}` placeholders; anything that is not one of them stays as written. */
export function renderTemplate(text: string, params: Readonly<Record<string, string>>, now: Date): string {
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (whole, name: string, format: string | undefined) => {
    if (format !== undefined) return name === 'now' ? (formatBeijing(now, format) ?? whole) : whole;
    return Object.hasOwn(params, name) ? (params[name] ?? '') : '';
  });
}

/** What is wrong with the placeholders of a template, in plain words (empty when it is fine). */
export function templateProblems(text: string): string[] {
  const problems: string[] = [];
  let at = text.indexOf('{{');
  while (at !== -1) {
    PLACEHOLDER_AT.lastIndex = at;
    const m = PLACEHOLDER_AT.exec(text);
    if (!m) {
      problems.push(
        `"${text.slice(at, at + 30)}" is not a placeholder: write {{param_name}} or {{now:yyyyMMddHHmmss}}`,
      );
      at = text.indexOf('{{', at + 2);
      continue;
    }
    const [whole, name, format] = m;
    if (format !== undefined && name !== 'now') problems.push(`${whole}: only "now" takes a format`);
    else if (format !== undefined && !tokens(format)) {
      problems.push(
        `${whole}: a time format uses yyyy MM dd HH mm ss SSS and the separators - : / . T or space`,
      );
    } else if (name === 'now' && format === undefined)
      problems.push('{{now}} needs a format, e.g. {{now:yyyyMMddHHmmss}}');
    at = text.indexOf('{{', at + whole.length);
  }
  return problems;
}
