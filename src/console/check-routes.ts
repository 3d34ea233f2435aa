import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CheckRun } from '../check/check-run-store.js';
import { CHECK_KEYINGS, type CheckKeying } from '../check/check-scenario.js';
import type { CheckStatus, CheckVerdict } from '../check/check-verdict.js';
import { checkRunReport, endCheckRun, startCheckRun, type CheckRunDeps } from '../domain/check-runs.js';
import { StoreConflictError } from '../ports/store-conflict-error.js';
import { csrfField, merchantBase } from './console-layout.js';
import { formOf, messagePage, seeOther, sendPage, type ConsoleContext } from './console-page.js';
import { enc, html, type SafeHtml } from './html.js';

const BADGE: Record<CheckStatus, SafeHtml> = {
  passed: html`<span class="badge badge-ok">passed</span>`,
  failed: html`<span class="badge badge-bad">failed</span>`,
  not_exercised: html`<span class="badge badge-warn">not exercised</span>`,
};

function verdictCard(v: CheckVerdict, base: string): SafeHtml {
  return html`<section class="card" aria-labelledby="v-${v.scenario}">
    <h2 id="v-${v.scenario}">${BADGE[v.status]} ${v.title} <code>${v.scenario}</code></h2>
    <ul>
      ${v.findings.map((f) => html`<li>${f}</li>`)}
    </ul>
    <p><strong>Expected:</strong> ${v.expected}</p>
    ${v.sandboxReading === null ? '' : html`<p class="hint">This sandbox's reading: ${v.sandboxReading}</p>`}
    <p class="hint">Cites ${v.cites.join(', ')}</p>
    ${
      v.evidence.length === 0
        ? ''
        : html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">Received</th>
                  <th scope="col">Sandbox time</th>
                  <th scope="col">Service</th>
                  <th scope="col">Trade</th>
                  <th scope="col">Refund id</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                ${v.evidence.map(
                  (e) =>
                    html`<tr>
                      <td>
                        <a href="${base}/requests/${enc(e.requestId)}">#${e.requestId}</a>
                        ${v.flaggedRequestIds.includes(e.requestId) ? html`<span class="badge badge-bad">flagged</span>` : ''}
                      </td>
                      <td>${e.receivedAt}</td>
                      <td>${e.sandboxAt ?? '-'}</td>
                      <td><code>${e.service ?? '-'}</code></td>
                      <td><code>${e.partnerTransId ?? '-'}</code></td>
                      <td><code>${e.partnerRefundId ?? ''}</code></td>
                      <td><code>${e.outcome}</code></td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

function runLine(r: CheckRun, base: string): SafeHtml {
  return html`<li>
    <a href="${base}/check/${enc(r.id)}">${r.id}</a> — keyed by ${r.keyedBy}, started
    ${r.startedAt.toISOString()},
    ${r.endedAt === null ? html`<span class="badge badge-warn">running</span>` : `ended ${r.endedAt.toISOString()}`}
  </li>`;
}

const KEYING_LABEL: Record<CheckKeying, string> = {
  prefix: 'trade id prefix (CHK-SYSERR-…)',
  amount: 'amount (trans_amount *.61 …; the cancel scenarios keep their prefix)',
};

/** The form that starts a run of every scenario: how to key them, with a message next to the field. */
function startForm(req: FastifyRequest, base: string, error: string | undefined): SafeHtml {
  return html`<form method="post" action="${base}/check">
    ${csrfField(req.consoleViewer ?? null)}
    <div class="field${error === undefined ? '' : ' has-error'}">
      <label for="f-keyed-by">Key scenarios by</label>
      <select
        id="f-keyed-by"
        name="keyedBy"
        ${error === undefined ? '' : html`aria-invalid="true" aria-describedby="e-keyed-by"`}
      >
        ${CHECK_KEYINGS.map((k) => html`<option value="${k}">${KEYING_LABEL[k]}</option>`)}
      </select>
      ${
        error === undefined
          ? ''
          : html`<p class="field-error" id="e-keyed-by"><span class="sr-only">Error: </span>${error}</p>`
      }
    </div>
    <button type="submit" class="btn">Start a run of every scenario</button>
  </form>`;
}

/** The integration check's pages: the merchant's runs, and one run's report (docs/integration-check.md). */
export function checkRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store, rules, requestLog } = ctx.deps;
  // The request log stamps receivedAt with the wall clock: a run's window uses it too.
  const deps: CheckRunDeps = { store, engine: rules, now: () => new Date() };

  async function runsPage(req: FastifyRequest, reply: FastifyReply, error?: string) {
    const partner = req.consoleMerchant!.partner;
    const base = merchantBase(partner);
    const runs = await store.listCheckRuns(partner);
    const body = html`<div class="page-head">
        <h1>Integration check</h1>
        <p class="lead">
          Whether your POS reacts correctly to each outcome. Start a run with
          <code>alipay-mock check start --partner ${partner}</code> or
          <code>POST /api/merchants/${partner}/check-runs</code>, run your tests with order ids under each
          scenario's prefix (or, in a run keyed by amount, with its amount), then read the report here.
        </p>
        ${runs.some((r) => r.endedAt === null) ? '' : startForm(req, base, error)}
      </div>
      ${
        runs.length === 0
          ? html`<p class="muted">No check run yet.</p>`
          : html`<ul>
              ${runs.map((r) => runLine(r, base))}
            </ul>`
      }`;
    return sendPage(
      ctx,
      req,
      reply,
      { title: 'Integration check', active: 'check', body },
      error === undefined ? 200 : 400,
    );
  }

  app.get('/check', (req, reply) => runsPage(req, reply));

  app.get<{ Params: { id: string } }>('/check/:id', async (req, reply) => {
    const partner = req.consoleMerchant!.partner;
    const base = merchantBase(partner);
    await requestLog.flush();
    const run = await store.getCheckRun(partner, req.params.id);
    if (run === undefined) {
      return sendPage(
        ctx,
        req,
        reply,
        messagePage('Not found', 'There is no such check run.', { href: `${base}/check`, label: 'All runs' }),
        404,
      );
    }
    const report = await checkRunReport(deps, run);
    const count = (s: CheckStatus) => report.filter((v) => v.status === s).length;
    const body = html`<div class="page-head">
        <p class="crumbs"><a href="${base}/check">Integration check</a></p>
        <h1>Check run ${run.id}</h1>
        <p class="lead">
          ${run.endedAt === null ? 'Running: judged on the requests logged so far.' : `Ended ${run.endedAt.toISOString()}.`}
          ${count('passed')} passed, ${count('failed')} failed, ${count('not_exercised')} not exercised.
          <a href="/api/merchants/${partner}/check-runs/${enc(run.id)}/junit">JUnit XML</a>
        </p>
        ${
          run.endedAt === null
            ? html`<form method="post" action="${base}/check/${enc(run.id)}/end">
                ${csrfField(req.consoleViewer ?? null)}
                <button type="submit" class="btn">End the run (store the report, disarm its rules)</button>
              </form>`
            : ''
        }
      </div>
      ${report.map((v) => verdictCard(v, base))}`;
    return sendPage(ctx, req, reply, { title: `Check run ${run.id}`, active: 'check', body });
  });

  // Start and end from the console, as from the admin API, the CLI and the toolkit.
  app.post('/check', async (req, reply) => {
    const partner = req.consoleMerchant!.partner;
    const keyedBy = formOf(req)['keyedBy'] ?? 'prefix';
    if (!(CHECK_KEYINGS as readonly string[]).includes(keyedBy))
      return runsPage(req, reply, 'Choose a trade id prefix or an amount.');
    try {
      const run = await startCheckRun(deps, partner, undefined, keyedBy as CheckKeying);
      return seeOther(reply, `${merchantBase(partner)}/check/${enc(run.id)}`);
    } catch (err) {
      if (!(err instanceof StoreConflictError)) throw err;
      const page = messagePage('Already running', 'A check run is already running: end it first.', {
        href: `${merchantBase(partner)}/check`,
        label: 'All runs',
      });
      return sendPage(ctx, req, reply, page, 409);
    }
  });

  app.post<{ Params: { id: string } }>('/check/:id/end', async (req, reply) => {
    const partner = req.consoleMerchant!.partner;
    await requestLog.flush();
    const run = await store.getCheckRun(partner, req.params.id);
    if (run !== undefined && run.endedAt === null) await endCheckRun(deps, run);
    return seeOther(reply, `${merchantBase(partner)}/check/${enc(req.params.id)}`);
  });
}
