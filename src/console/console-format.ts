import type { TradeStatus } from '../protocol/constants.js';
import { html, type SafeHtml } from './html.js';
import { SERVICE_TABS } from './rule-form.js';

/** `2026-11-26 12:00:05 UTC` in a <time> element (pages show UTC; the log stores process time). */
export function timeHtml(date: Date | null | undefined): SafeHtml {
  if (!date) return html`<span class="muted">—</span>`;
  const iso = date.toISOString();
  // Date and time of day are each one token: a narrow column may put them on two lines, never more.
  return html`<time datetime="${iso}"
    ><span class="tok">${iso.slice(0, 10)}</span>
    <span class="tok">${iso.slice(11, 19)}<span class="tz"> UTC</span></span></time
  >`;
}

/** The short name of a service (`Spot pay`), or the name itself. */
export function serviceLabel(service: string | null): string {
  if (service === null) return '(no service)';
  if (service === '*') return 'All services';
  return SERVICE_TABS.find((t) => t.service === service)?.label ?? service;
}

/** How an outcome label reads: success, a business failure, a gateway refusal, a transport fault… */
export function outcomeTone(outcome: string): 'ok' | 'warn' | 'bad' | 'fault' {
  if (outcome === 'SUCCESS') return 'ok';
  if (outcome.startsWith('fault:') || outcome.startsWith('broken:')) return 'fault';
  if (outcome.startsWith('F:')) return 'bad';
  if (outcome.startsWith('UNKNOW')) return 'warn';
  return outcome.includes(':') || outcome.startsWith('FAIL') ? 'bad' : 'warn';
}

const TONE_WORDS = { ok: 'Success', warn: 'Unknown', bad: 'Failed', fault: 'Fault' } as const;

/** An outcome as a badge: the label in words as well as in colour. */
export function outcomeBadge(outcome: string): SafeHtml {
  const tone = outcomeTone(outcome);
  const shown = outcome.startsWith('F:') ? `gateway ${outcome.slice(2)}` : outcome;
  return html`<span class="badge badge-${tone}"
    ><span class="sr-only">${TONE_WORDS[tone]}: </span>${shown}</span
  >`;
}

const STATUS_TONES: Readonly<Record<TradeStatus, 'ok' | 'warn' | 'bad' | 'fault'>> = {
  WAIT_BUYER_PAY: 'warn',
  TRADE_SUCCESS: 'ok',
  TRADE_CLOSED: 'bad',
  TRADE_FINISHED: 'fault',
};

/** A trade status as a badge. */
export function statusBadge(status: TradeStatus): SafeHtml {
  return html`<span class="badge badge-${STATUS_TONES[status]}">${status}</span>`;
}

/** A condition in words: `trans_amount eq 12.34`. */
export function conditionText(c: { field: string; op: string; value?: unknown }): string {
  const value = Array.isArray(c.value)
    ? `[${c.value.join(', ')}]`
    : typeof c.value === 'string'
      ? c.value
      : '';
  return `${c.field} ${c.op}${value === '' ? '' : ` ${value}`}`;
}

/**
 * A condition as code whose field, operator and value each stay on one line (`trans_amount` never
 * breaks inside; the line may break between them).
 */
function conditionHtml(c: { field: string; op: string; value?: unknown }): SafeHtml {
  const value = conditionText({ ...c, field: '', op: '' }).trim();
  return html`<code class="cond"
    ><span class="tok">${c.field}</span> <span class="tok">${c.op}</span>${
      value === '' ? '' : html` <span class="tok">${value}</span>`
    }</code
  >`;
}

/** The conditions of a rule as markup: each condition one code element, joined with "and". */
export function conditionsHtml(when: unknown): SafeHtml {
  const list = Array.isArray(when) ? (when as Array<{ field: string; op: string; value?: unknown }>) : [];
  if (list.length === 0) return html`<span class="muted">every request</span>`;
  return html`${list.map((c, i) => html`${i > 0 ? ' and ' : ''}${conditionHtml(c)}`)}`;
}

interface OutcomeLike {
  type?: string;
  result_code?: string;
  error?: string;
  code?: string;
  kind?: string;
  fault?: string;
  effect?: string;
  steps?: OutcomeLike[];
  delay?: unknown;
}

/** An outcome in words: `FAILED / BUYER_BALANCE_NOT_ENOUGH`, `gateway ILLEGAL_SIGN`, `fault hang, paid`. */
export function outcomeText(then: unknown): string {
  const o = (then ?? {}) as OutcomeLike;
  const effect = o.effect && o.effect !== 'none' ? `, ledger: ${o.effect.replace('_', ' ')}` : '';
  const delay = o.delay ? ', delayed' : '';
  switch (o.type) {
    case 'business':
      return `${o.result_code ?? ''}${o.error ? ` / ${o.error}` : ''}${effect}${delay}`;
    case 'gateway_error':
      return `gateway error ${o.code ?? ''}${delay}`;
    case 'broken':
      return `broken reply: ${(o.kind ?? '').replace('_', ' ')}${effect}${delay}`;
    case 'fault':
      return `transport fault: ${o.fault ?? ''}${effect}${delay}`;
    case 'normal':
      return `normal behaviour${delay}`;
    case 'sequence':
      return `sequence: ${(o.steps ?? []).map(outcomeText).join(' → ')}`;
    default:
      return String(o.type ?? '');
  }
}
