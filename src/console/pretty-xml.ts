import { html, type SafeHtml } from './html.js';

// Tags, comments, CDATA and declarations, or the text between them.
const TOKENS = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<[^<>]*>|[^<]+/g;

/**
 * Well-formed XML indented for reading, two spaces a level, an element holding only text on one line
 * (`<result_code>SUCCESS</result_code>`). The text and the tags are kept as written (entities stay
 * escaped); only the whitespace between tags changes. Null when the text is not XML whose elements
 * close in order (an HTML error page, garbage): it is then shown as it is.
 */
export function prettyXml(text: string): string | null {
  const source = text.trim();
  const tokens = source.match(TOKENS) ?? [];
  if (!source.startsWith('<') || tokens.join('') !== source) return null;
  const lines: string[] = [];
  const open: string[] = [];
  const indent = () => '  '.repeat(open.length);
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.startsWith('</')) {
      if (open.pop() !== token.slice(2, -1).trim()) return null;
      lines.push(indent() + token);
    } else if (token.startsWith('<?') || token.startsWith('<!') || token.endsWith('/>')) {
      lines.push(indent() + token);
    } else if (token.startsWith('<')) {
      const name = /^<([^\s/>]+)/.exec(token)?.[1];
      if (name === undefined) return null;
      const next = tokens[i + 1];
      const close = `</${name}>`;
      if (next === close) {
        lines.push(indent() + token + close);
        i += 1;
      } else if (next !== undefined && !next.startsWith('<') && tokens[i + 2] === close) {
        lines.push(indent() + token + next + close);
        i += 2;
      } else {
        lines.push(indent() + token);
        open.push(name);
      }
    } else if (token.trim() !== '') {
      lines.push(indent() + token.trim());
    }
  }
  return open.length === 0 ? lines.join('\n') : null;
}

/** A dark code block of an answer: indented XML with its tags marked, or the text as it is. */
export function xmlCodeBlock(text: string): SafeHtml {
  const pretty = prettyXml(text);
  if (pretty === null) return html`<pre class="code-block">${text}</pre>`;
  return html`<pre class="code-block xml">
${pretty
      .split(/(<[^<>]*>)/)
      .map((part) => (part.startsWith('<') ? html`<span class="xml-tag">${part}</span>` : part))}</pre>`;
}
