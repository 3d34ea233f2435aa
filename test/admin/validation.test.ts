import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api } from '../helpers/admin-call.js';

/** Sends a raw body with a content type and returns status, content type and the parsed problem. */
async function send(baseUrl: string, method: string, path: string, body: string, contentType: string) {
  const res = await fetch(`${baseUrl}${path}`, { method, headers: { 'content-type': contentType }, body });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

/** Asserts an RFC 9457 problem document with this status and code. */
function assertProblem(
  res: { status: number; contentType: string | null; json: Record<string, unknown> },
  status: number,
  code: string,
): void {
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.match(res.contentType ?? '', /^application\/problem\+json/);
  assert.equal(res.json['code'], code);
  assert.equal(res.json['status'], status);
  assert.equal(res.json['type'], `https://alipay-mock.dev/problems/${code}`);
  assert.equal(typeof res.json['title'], 'string');
  assert.equal(typeof res.json['detail'], 'string');
}

const MERCHANT = '2088000000000501';

describe('admin API validation: problem+json with stable codes', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ bodyLimit: 4096 });
  });
  after(async () => app.close());

  it('answers invalid JSON with 400 invalid_request', async () => {
    assertProblem(
      await send(app.url, 'POST', '/api/merchants', '{"partner":', 'application/json'),
      400,
      'invalid_request',
    );
    assertProblem(await send(app.url, 'POST', '/api/rules', '', 'application/json'), 400, 'invalid_request');
  });

  it('answers a body that is not JSON with 415 unsupported_media_type', async () => {
    const res = await send(
      app.url,
      'POST',
      '/api/merchants',
      `partner=${MERCHANT}`,
      'application/x-www-form-urlencoded',
    );
    assertProblem(res, 415, 'unsupported_media_type');
    assertProblem(
      await send(app.url, 'PATCH', '/api/buyers/2088622937243084', 'name', 'text/plain'),
      415,
      'unsupported_media_type',
    );
  });

  it('answers a body above the body limit with 413 payload_too_large', async () => {
    const body = JSON.stringify({ partner: MERCHANT, name: 'x'.repeat(5000) });
    assertProblem(
      await send(app.url, 'POST', '/api/merchants', body, 'application/json'),
      413,
      'payload_too_large',
    );
  });

  it('refuses unknown fields, naming them', async () => {
    for (const [method, path, body] of [
      ['POST', '/api/merchants', { partner: MERCHANT, colour: 'red' }],
      ['PATCH', '/api/merchants/2088101122136241', { colour: 'red' }],
      ['POST', '/api/buyers', { loginId: 'someone@example.com', colour: 'red' }],
      ['PATCH', '/api/buyers/2088622937243084', { colour: 'red' }],
      ['POST', '/api/merchants/2088101122136241/clock', { colour: 'red' }],
      [
        'PUT',
        '/api/merchants/2088101122136241/default-rules/default-pay-9901',
        { enabled: true, colour: 'red' },
      ],
      ['POST', '/api/merchants/2088101122136241/api-keys', { name: 'ci', colour: 'red' }],
    ] as const) {
      const res = await api(app.url, method, path, body);
      assertProblem(res, 400, 'invalid_request');
      assert.deepEqual(
        res.json['errors'],
        [{ field: 'colour', message: 'unknown field' }],
        `${method} ${path}`,
      );
    }
    const rule = await api(app.url, 'POST', '/api/rules', {
      partner: '2088101122136241',
      service: 'alipay.acquire.overseas.spot.pay',
      name: 'typo',
      priorty: 3,
      then: { type: 'normal' },
    });
    assertProblem(rule, 400, 'invalid_request');
    // The same shape as every other body (docs/admin-api.md, "Errors"), also inside the rule.
    assert.deepEqual(rule.json['errors'], [{ field: 'priorty', message: 'unknown field' }]);
    assert.equal(rule.json['detail'], 'rule is invalid: priorty: unknown field');
    const nested = await api(app.url, 'POST', '/api/rules', {
      partner: '2088101122136241',
      service: 'alipay.acquire.overseas.spot.pay',
      name: 'typo',
      then: { type: 'normal', colour: 'red' },
    });
    assertProblem(nested, 400, 'invalid_request');
    assert.deepEqual(nested.json['errors'], [{ field: 'then.colour', message: 'unknown field' }]);
  });

  it('refuses malformed partner ids: 400 in a path or a body, naming the field', async () => {
    for (const path of [
      '/api/merchants/abc',
      '/api/merchants/12345/clock',
      '/api/merchants/2088x/trades/1',
    ]) {
      const res = await api(app.url, 'GET', path);
      assertProblem(res, 400, 'invalid_request');
      assert.deepEqual(res.json['errors'], [{ field: 'partner', message: 'must be 16 digits' }]);
    }
    const created = await api(app.url, 'POST', '/api/merchants', { partner: '2088' });
    assertProblem(created, 400, 'invalid_request');
    assert.equal((created.json['errors'] as Array<{ field: string }>)[0]?.field, 'partner');
    assertProblem(await api(app.url, 'GET', '/api/trades?partner=abc'), 400, 'invalid_request');
  });

  it('answers unknown resources and routes with 404 not_found', async () => {
    for (const path of [
      '/api/merchants/2088000000000000',
      '/api/merchants/2088000000000000/clock',
      '/api/merchants/2088101122136241/trades/NOPE',
      '/api/buyers/2088000000009999',
      '/api/rules/no-such-rule',
      '/api/requests/999999',
      '/api/requests/abc',
      '/api/requests/999999/explain',
      '/api/nothing-here',
    ]) {
      assertProblem(await api(app.url, 'GET', path), 404, 'not_found');
    }
    assertProblem(await api(app.url, 'PUT', '/api/merchants', {}), 404, 'not_found');
    assertProblem(
      await api(app.url, 'PUT', '/api/merchants/2088101122136241/default-rules/no-such-rule', {
        enabled: false,
      }),
      404,
      'not_found',
    );
  });

  it('answers a taken id with 409 conflict', async () => {
    assertProblem(
      await api(app.url, 'POST', '/api/merchants', { partner: '2088101122136241' }),
      409,
      'conflict',
    );
    assertProblem(
      await api(app.url, 'POST', '/api/buyers', { userId: '2088622937243084', loginId: 'dup@example.com' }),
      409,
      'conflict',
    );
  });

  it('lists every invalid field of a body', async () => {
    const res = await api(app.url, 'POST', '/api/merchants', {
      partner: 'x',
      signTypes: [],
      currencies: ['XXX'],
    });
    assertProblem(res, 400, 'invalid_request');
    const fields = (res.json['errors'] as Array<{ field: string }>).map((e) => e.field).sort();
    assert.deepEqual(fields, ['currencies.0', 'partner', 'signTypes']);
  });
});
