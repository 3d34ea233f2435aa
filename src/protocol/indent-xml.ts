/** Tags, comments and CDATA sections, or the text between them. */
const TOKEN = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<[^>]*>|[^<]+/g;

const isText = (t: string | undefined) =>
  t !== undefined && (!t.startsWith('<') || t.startsWith('<![CDATA['));
const isClose = (t: string | undefined) => t !== undefined && t.startsWith('</');
const isOpen = (t: string) => /^<[^/?!][^>]*[^/]>$|^<[^/?!>]>$/.test(t);

/**
 * The XML indented two spaces a level, for people: an element that holds only text stays on one line
 * with its text exactly as it was; whitespace between tags is dropped. Not for signing or parsing.
 */
export function indentXml(xml: string): string {
  const tokens = xml.match(TOKEN) ?? [];
  const lines: string[] = [];
  let depth = 0;
  const push = (text: string) => lines.push(`${'  '.repeat(depth)}${text}`);
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i] ?? '';
    if (isText(t)) {
      if (t.trim() !== '') push(t.trim());
    } else if (isClose(t)) {
      depth = Math.max(0, depth - 1);
      push(t);
    } else if (isOpen(t) && isText(tokens[i + 1]) && isClose(tokens[i + 2])) {
      push(`${t}${tokens[i + 1] ?? ''}${tokens[i + 2] ?? ''}`);
      i += 2;
    } else if (isOpen(t) && isClose(tokens[i + 1])) {
      push(`${t}${tokens[i + 1] ?? ''}`);
      i += 1;
    } else {
      push(t);
      if (isOpen(t)) depth += 1;
    }
  }
  return lines.join('\n');
}
