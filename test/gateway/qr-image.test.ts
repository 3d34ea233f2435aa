import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import QRCode from 'qrcode';
import { startNotifyApp, type NotifyApp } from '../notify/notify-helpers.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aPrecreate } from '../helpers/builders.js';

/**
 * The dark modules an SVG from the route draws, read back from its path (`M x y`, `m dx 0`, `h n`
 * runs on the half-module line of each row), as a row-major bitmap of `size` × `size` modules.
 */
function modulesOf(svg: string, size: number, margin: number): boolean[] {
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg) as {
    svg: { path: Array<Record<string, string>> };
  };
  const stroke = parsed.svg.path.find((p) => p['@_stroke'] !== undefined);
  assert.ok(stroke, 'a stroked path draws the dark modules');
  const out: boolean[] = Array.from({ length: size * size }, () => false);
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of stroke['@_d']!.matchAll(/([Mmh])(\d+(?:\.\d+)?)(?: (\d+(?:\.\d+)?))?/g)) {
    const n = Number(a);
    if (cmd === 'M') [x, y] = [n, Number(b) - 0.5];
    else if (cmd === 'm') x += n;
    else {
      for (let i = 0; i < n; i++) out[(y - margin) * size + (x - margin + i)] = true;
      x += n;
    }
  }
  return out;
}

describe('the QR pictures of a precreate answer', () => {
  let app: NotifyApp;
  before(async () => {
    app = await startNotifyApp();
  });
  after(async () => {
    await app.close();
  });

  it('serves pic_url, small_pic_url and big_pic_url as SVG QR codes of qr_code', async () => {
    const r = (await callGateway(app.url, 'alipay.acquire.precreate', aPrecreate())).envelope.response;
    const expected = QRCode.create(r.qr_code!, { errorCorrectionLevel: 'M' }).modules;
    const widths: string[] = [];
    for (const url of [r.small_pic_url!, r.pic_url!, r.big_pic_url!]) {
      const res = await fetch(url);
      assert.equal(res.status, 200, url);
      assert.equal(res.headers.get('content-type'), 'image/svg+xml');
      const svg = await res.text();
      assert.equal(XMLValidator.validate(svg), true, svg);
      const margin = 4;
      const side = expected.size + 2 * margin;
      assert.match(svg, new RegExp(`viewBox="0 0 ${side} ${side}"`));
      assert.deepEqual(modulesOf(svg, expected.size, margin), Array.from(expected.data, Boolean));
      widths.push(/width="(\d+)"/.exec(svg)?.[1] ?? '');
    }
    assert.deepEqual(widths, ['128', '256', '512']);
  });

  it('answers 404 for an unknown or forged token', async () => {
    const r = (await callGateway(app.url, 'alipay.acquire.precreate', aPrecreate())).envelope.response;
    const forged = r.qr_code!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    for (const url of [`${app.url}/wallet/nothing/qr.svg`, `${forged}/qr.svg?size=M`]) {
      const res = await fetch(url);
      assert.equal(res.status, 404, url);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      await res.text();
    }
  });
});
