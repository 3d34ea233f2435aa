import { isDefaultRuleId } from '../domain/custom-rules.js';
import type { RequestExplanation } from '../domain/explain-request.js';
import type { RequestLogEntry } from '../ports/request-log.js';
import { outcomeBadge, serviceLabel, timeHtml } from './console-format.js';
import { enc, html, type SafeHtml } from './html.js';
import { prettyXml, xmlCodeBlock } from './pretty-xml.js';
import { tabOf } from './rule-form.js';
import { diffSignStrings, sentOrderString, type DiffToken } from './sign-diff.js';

/** The page of the rule that answered: the editor of a custom rule, the default table row of a default one. */
export function ruleHref(base: string, ruleId: string, service: string | null): string {
  if (isDefaultRuleId(ruleId))
    return `${base}/rules?service=${tabOf(service ?? '')?.tab ?? 'pay'}#rule-${enc(ruleId)}`;
  return `${base}/rules/${enc(ruleId)}/edit`;
}

/** A link to the rule that answered an entry, or a dash. */
export function ruleLink(
  base: string,
  e: Pick<RequestLogEntry, 'ruleId' | 'ruleName' | 'service'>,
): SafeHtml {
  if (e.ruleId === null) return html`<span class="muted">no rule</span>`;
  return html`<a href="${ruleHref(base, e.ruleId, e.service)}">${e.ruleName ?? e.ruleId}</a>`;
}

/** The table rows of log entries (the live log inserts the same rows). */
export function requestRowItems(base: string, entries: readonly RequestLogEntry[]): SafeHtml {
  return html`${entries.map(
    (e) =>
      html`<tr data-id="${e.id}">
        <td><a href="${base}/requests/${e.id}">${timeHtml(e.receivedAt)}</a></td>
        <td>${outcomeBadge(e.outcome)}</td>
        <td>${serviceLabel(e.service)}</td>
        <td>
          ${e.partnerTransId ? html`<code>${e.partnerTransId}</code>` : html`<span class="muted">—</span>`}
        </td>
        <td>${ruleLink(base, e)}</td>
        <td class="num">${e.durationMs}</td>
      </tr>`,
  )}`;
}

/** A table of log entries. */
export function requestRows(base: string, entries: readonly RequestLogEntry[], live = false): SafeHtml {
  return html`<div class="table-wrap"><table class="log-table">
    <thead><tr><th scope="col">Received</th><th scope="col">Outcome</th><th scope="col">Service</th>
      <th scope="col">Merchant order id</th><th scope="col">Rule</th><th scope="col" class="num">ms</th></tr></thead>
    <tbody${live ? html` id="log-rows"` : ''}>${requestRowItems(base, entries)}</tbody>
  </table></div>`;
}

function tokensHtml(tokens: readonly DiffToken[], side: 'expected' | 'received'): SafeHtml {
  return html`${tokens.map(
    (t, i) =>
      html`${i > 0 ? html`<span class="amp">&amp;</span>` : ''}${
        t.status === 'both'
          ? html`<span>${t.text}</span>`
          : side === 'expected'
            ? html`<del title="not in what you sent"
                ><span class="sr-only">[only expected: </span>${t.text}<span class="sr-only">]</span></del
              >`
            : html`<ins title="not in the string the sandbox signed"
                ><span class="sr-only">[only sent: </span>${t.text}<span class="sr-only">]</span></ins
              >`
      }`,
  )}`;
}

function signatureSection(e: RequestLogEntry): SafeHtml {
  const sig = e.signature;
  if (sig === null) {
    return html`<p class="muted">
      The request was refused before its signature was checked${e.reason ? html`: ${e.reason}` : ''}.
    </p>`;
  }
  if (sig.ok) {
    return html`<p>
        <span class="badge badge-ok">Signature verified</span> with the ${sig.convention ?? 'canonical'}
        convention.
      </p>
      <h3>String the sandbox verified</h3>
      <pre class="code-block">${sig.signString}</pre>`;
  }
  const received = sentOrderString(e.params);
  const diff = diffSignStrings(sig.signString, received);
  const summary =
    diff.identical || diff.sameSetOtherOrder
      ? 'You sent exactly the parameters of the expected string: if your string to sign is that string, the key, the sign type or the charset differs.'
      : 'The marked pairs are in one string only: parameters the sandbox leaves out (sign, sign_type, empty values), values that changed on the way, or parameters sent twice.';
  return html`<p><span class="badge badge-bad">Signature did not verify</span> (ILLEGAL_SIGN)</p>
    <div class="diagnosis" role="note">
      <h3>Likely reason</h3>
      <p>${e.diagnosis ? sentence(e.diagnosis) : 'No diagnosis was recorded for this request.'}</p>
    </div>
    <h3>Expected string to sign</h3>
    <p class="hint">
      Every parameter but sign and sign_type, empty ones left out, sorted by name, joined with &amp;; then the
      MD5 key appended (MD5) or signed with your private key (RSA, RSA2).
    </p>
    <pre class="code-block diff">${tokensHtml(diff.expected, 'expected')}</pre>
    <h3>What you sent, in the order you sent it</h3>
    <pre class="code-block diff">${tokensHtml(diff.received, 'received')}</pre>
    <p class="hint">
      ${summary}
      <span class="legend"
        ><del>struck out</del>: only in the expected string; <ins>underlined</ins>: only in what you
        sent.</span
      >
    </p>`;
}

function answerSection(base: string, e: RequestLogEntry): SafeHtml {
  const rows: Array<[string, SafeHtml | string | null]> = [
    ['Outcome', outcomeBadge(e.outcome)],
    ['Gateway error', e.gatewayError],
    ['Result code', e.resultCode],
    ['Business error', e.error],
    ['Why', e.reason],
  ];
  const decided =
    e.ruleId !== null
      ? html`Answered by the ${isDefaultRuleId(e.ruleId) ? 'default' : 'custom'} rule ${ruleLink(base, e)}.`
      : e.gatewayError !== null
        ? 'The gateway refused the request before any mock rule was consulted.'
        : 'No mock rule matched: the sandbox answered with its normal behaviour.';
  return html`<p class="decided">${decided}</p>
    <dl class="props">
      ${rows
        .filter(([, v]) => v !== null && v !== '')
        .map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${v}</dd>`,
        )}
    </dl>`;
}

type Candidate = RequestExplanation['candidates'][number];

function candidateItem(base: string, c: Candidate, service: string | null): SafeHtml {
  const state = c.answered
    ? html`<span class="badge badge-ok">answered</span>`
    : c.matched
      ? html`<span class="badge badge-warn">matches now</span>`
      : html`<span class="badge badge-bad">no match</span>`;
  return html`<li>
    <a href="${ruleHref(base, c.id, service)}">${c.name}</a> ${state}${
      c.reasons.length > 0
        ? html`<ul class="reasons">
            ${c.reasons.map((r) => html`<li>${r}</li>`)}
          </ul>`
        : ''
    }
  </li>`;
}

function explanationSection(base: string, e: RequestLogEntry, x: RequestExplanation): SafeHtml {
  if (!x.reachedRules) {
    return html`<p>The request never reached the mock rules${e.reason ? html`: ${e.reason}` : ''}.</p>`;
  }
  const custom = x.candidates.filter((c) => c.kind === 'custom');
  const defaults = x.candidates.filter((c) => c.kind === 'default');
  const answeredDefault = defaults.find((c) => c.answered);
  return html`<p class="hint">
      Tried in this order, under the rules as they are now: your custom rules, then the default rules switched
      on.
    </p>
    <h3>Custom rules</h3>
    ${
      custom.length === 0
        ? html`<p class="muted">None for this service.</p>`
        : html`<ol class="candidates">
            ${custom.map((c) => candidateItem(base, c, e.service))}
          </ol>`
    }
    <h3>Default rules</h3>
    ${
      answeredDefault
        ? html`<ol class="candidates">
            ${candidateItem(base, answeredDefault, e.service)}
          </ol>`
        : ''
    }
    <details>
      <summary>
        ${
          answeredDefault
            ? `All ${defaults.length} default rules`
            : custom.some((c) => c.answered)
              ? `Not tried: a custom rule answered first (${defaults.length} default rules)`
              : `None of the ${defaults.length} default rules matched`
        }
      </summary>
      <ol class="candidates">
        ${defaults.map((c) => candidateItem(base, c, e.service))}
      </ol>
    </details>`;
}

function tradeLink(base: string, tradeId: string | undefined): SafeHtml {
  if (tradeId === undefined) return html``;
  return html`<p><a href="${base}/trades/${enc(tradeId)}">Open the trade ${tradeId}</a></p>`;
}

/** The answer: XML indented for reading, the body exactly as sent beside it, and its bytes to download. */
function responseBody(base: string, e: RequestLogEntry, text: string): SafeHtml {
  const bytes = Buffer.byteLength(e.responseBody, 'latin1');
  const download =
    bytes === 0
      ? ''
      : html`<p>
          <a href="${base}/requests/${e.id}/response" download>Download the body</a>
          <span class="muted">(${bytes} bytes, exactly as sent)</span>
        </p>`;
  if (prettyXml(text) === null) {
    return html`<h3>Body, as a GBK-reading client sees it</h3>
      <pre class="code-block">${text || '(no body)'}</pre>
      ${download}`;
  }
  return html`<h3>Body, as a GBK-reading client sees it</h3>
    <p class="hint">Indented for reading; the raw body below is the text as sent.</p>
    ${xmlCodeBlock(text)}
    <details>
      <summary>Raw body</summary>
      <pre class="code-block">${text}</pre>
    </details>
    ${download}`;
}

/** A sentence starts with a capital letter. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The detail of one log entry: answer and rule, signature, parameters, raw request, response, timing.
 * `tradeId` is the Alipay id of the trade the request touched, when that trade exists.
 */
export function requestDetail(
  base: string,
  e: RequestLogEntry,
  responseText: string,
  tradeId: string | undefined,
  explanation: RequestExplanation,
): SafeHtml {
  return html`<div class="page-head">
      <p class="crumbs"><a href="${base}/requests">Request log</a></p>
      <h1>Request #${e.id}</h1>
      <p class="lead">${serviceLabel(e.service)} · ${timeHtml(e.receivedAt)} · ${outcomeBadge(e.outcome)}</p>
    </div>
    <section class="card" aria-labelledby="answer-h">
      <h2 id="answer-h">Why it answered so</h2>
      ${answerSection(base, e)}${tradeLink(base, tradeId)}
    </section>
    <section class="card" aria-labelledby="rules-h">
      <h2 id="rules-h">Rules tried</h2>
      ${explanationSection(base, e, explanation)}
    </section>
    <section class="card" aria-labelledby="sig-h">
      <h2 id="sig-h">Signature</h2>
      ${signatureSection(e)}
    </section>
    <section class="card" aria-labelledby="params-h">
      <h2 id="params-h">Decoded parameters</h2>
      <p class="hint">Charset ${e.charset ?? 'not determined'}; in the order received.</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">Sent in</th>
            </tr>
          </thead>
          <tbody>
            ${e.params.map(
              (p) =>
                html`<tr>
                  <td><code>${p.name}</code></td>
                  <td class="wrap"><code>${p.value}</code></td>
                  <td>${p.source === 'query' ? 'URL' : 'body'}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
    <section class="card" aria-labelledby="raw-h">
      <h2 id="raw-h">Raw request</h2>
      <dl class="props">
        <dt>Method</dt>
        <dd>${e.method}</dd>
      </dl>
      <h3>URL query</h3>
      <pre class="code-block">${e.rawQuery || '(empty)'}</pre>
      <h3>Body</h3>
      <pre class="code-block">${e.rawBody || '(empty)'}</pre>
    </section>
    <section class="card" aria-labelledby="resp-h">
      <h2 id="resp-h">Response</h2>
      <dl class="props">
        <dt>HTTP status</dt>
        <dd>${e.responseStatus}</dd>
        <dt>Received</dt>
        <dd>${timeHtml(e.receivedAt)}</dd>
        <dt>Sandbox time</dt>
        <dd>${e.sandboxAt === null ? '(not known)' : timeHtml(e.sandboxAt)}</dd>
        <dt>Time to answer</dt>
        <dd>${e.durationMs} ms</dd>
        <dt>X-Request-Id</dt>
        <dd><code>${e.requestId ?? '(not recorded)'}</code></dd>
      </dl>
      ${responseBody(base, e, responseText)}
    </section>`;
}
