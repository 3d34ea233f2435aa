// The steps of the smoke test, shared by scripts/smoke.mjs (the built checkout) and
// scripts/pack-check.mjs (the packed tarball installed in a scratch project): start `serve` as a
// child process, send it a pay and a query signed here by hand (MD5, as any client library does),
// and pay through startSandbox() in this process.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';

/** The demo merchant every fresh store gets (README, "Demo accounts"). */
export const DEMO_PARTNER = '2088101122136241';
const DEMO_MD5_KEY = '760bdzec6y9goq7ctyx96ezkz78287de';
const BANNER = 'alipay-mock listening on ';
const START_TIMEOUT_MS = 60_000;

/** Throws with a message naming what was expected when a check fails. */
export function check(ok, message) {
  if (!ok) throw new Error(`smoke: ${message}`);
}

/**
 * Starts `command ...args` (an `alipay-mock serve --port 0 …`), waits for its banner and returns the
 * URL it listens on and a stop() that sends SIGTERM and resolves with the exit code. The child leads
 * a process group of its own and stop() signals the whole group: `npx` does not pass SIGTERM on to
 * the server it started.
 */
export async function startServe(command, args, options = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ALIPAY_MOCK_')));
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    cwd: options.cwd,
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (err += chunk));
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? signal)));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`smoke: serve printed no banner within ${START_TIMEOUT_MS} ms\n${out}\n${err}`));
    }, START_TIMEOUT_MS);
    const look = () => {
      const line = out.split('\n').find((l) => l.startsWith(BANNER));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve(line.slice(BANNER.length).trim());
    };
    child.stdout.on('data', look);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`smoke: serve exited (${how}) before listening\n${out}\n${err}`));
    });
  });
  return {
    url,
    stop: async () => {
      process.kill(-child.pid, 'SIGTERM');
      return exited;
    },
  };
}

/** MD5 signature of the sorted `name=value` pairs, as the MAPI protocol defines it. */
function md5Sign(params) {
  const text = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHash('md5')
    .update(text + DEMO_MD5_KEY, 'utf8')
    .digest('hex');
}

/** Posts the signed form to /gateway.do and returns the answer's text (its fields are ASCII). */
async function gatewayCall(url, service, fields) {
  const params = { service, partner: DEMO_PARTNER, _input_charset: 'UTF-8', ...fields };
  const body = new URLSearchParams({ ...params, sign: md5Sign(params), sign_type: 'MD5' });
  const res = await fetch(`${url}/gateway.do`, { method: 'POST', body });
  check(res.status === 200, `${service} answered HTTP ${res.status}`);
  return new TextDecoder('latin1').decode(await res.arrayBuffer());
}

/** The text of one XML element of an answer, or undefined. */
function field(xml, name) {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/** A signed spot pay of 12.34 USD, then a query of it, against a running sandbox. */
export async function payAndQuery(url) {
  const id = `SMOKE${Date.now()}`;
  const pay = await gatewayCall(url, 'alipay.acquire.overseas.spot.pay', {
    alipay_seller_id: DEMO_PARTNER,
    partner_trans_id: id,
    trans_name: 'smoke test',
    currency: 'USD',
    trans_amount: '12.34',
    buyer_identity_code: '280000000000000001',
    identity_code_type: 'barcode',
    biz_product: 'OVERSEAS_MBARCODE_PAY',
  });
  check(field(pay, 'is_success') === 'T', `pay was not accepted:\n${pay}`);
  check(field(pay, 'result_code') === 'SUCCESS', `pay did not succeed:\n${pay}`);
  const query = await gatewayCall(url, 'alipay.acquire.overseas.query', { partner_trans_id: id });
  check(
    field(query, 'alipay_trans_status') === 'TRADE_SUCCESS',
    `query did not find the paid trade:\n${query}`,
  );
  return { pay: 'SUCCESS', query: 'TRADE_SUCCESS' };
}

/** Imports the package's entry point (a path or a package name), pays in startSandbox() and closes it. */
export async function toolkitPay(entry) {
  const { startSandbox } = await import(entry.startsWith('/') ? pathToFileURL(entry).href : entry);
  const sandbox = await startSandbox();
  try {
    const pay = await sandbox.client().spotPay({
      partnerTransId: 'SMOKE-TOOLKIT-1',
      transName: 'smoke test',
      currency: 'USD',
      transAmount: '1.00',
      buyerIdentityCode: '280000000000000001',
    });
    check(pay.resultCode === 'SUCCESS', `startSandbox() pay answered ${pay.resultCode}`);
    const query = await sandbox.client().query({ partnerTransId: 'SMOKE-TOOLKIT-1' });
    check(query.tradeStatus === 'TRADE_SUCCESS', `startSandbox() query answered ${query.tradeStatus}`);
  } finally {
    await sandbox.close();
  }
  return { pay: 'SUCCESS' };
}
