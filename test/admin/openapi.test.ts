import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api, apiWith } from '../helpers/admin-call.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aMerchantQr } from '../helpers/builders.js';
import { OPENAPI_DOCUMENT, type OpenApiMethod } from '../../src/admin/openapi.js';
import { PROBLEM_CODES } from '../../src/admin/problem.js';

const METHODS: readonly OpenApiMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Every `METHOD /path` Fastify routes, read from `printRoutes({ commonPrefix: false })`: a tree whose
 * lines are `│   `/`    ` per level, then `├── `/`└── `, a path segment and `(METHODS)`.
 */
function registeredRoutes(tree: string): Set<string> {
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const full = (depth > 0 ? (stack[depth - 1] ?? '') : '') + (m[2] ?? '');
    stack[depth] = full;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) routes.add(`${method} ${full}`);
  }
  return routes;
}

/** `/api/merchants/{partner}` → `/api/merchants/:partner`. */
const toFastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Every `METHOD /path` of the document, in Fastify's spelling. */
function documentedRoutes(): Set<string> {
  const routes = new Set<string>();
  for (const [path, item] of Object.entries(OPENAPI_DOCUMENT.paths)) {
    for (const method of METHODS) {
      if (item[method]) routes.add(`${method.toUpperCase()} ${toFastifyPath(path)}`);
    }
  }
  return routes;
}

/** Every `$ref` anywhere in a JSON value. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe('OpenAPI document', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  it('describes every route registered under /api, and nothing else', () => {
    const registered = [...registeredRoutes(app.app.printRoutes({ commonPrefix: false }))].filter(
      (r) => r.includes(' /api') && !r.startsWith('HEAD '),
    );
    assert.ok(registered.length > 30, `only ${registered.length} routes parsed`);
    const documented = documentedRoutes();
    assert.deepEqual(
      registered.filter((r) => !documented.has(r)),
      [],
      'routes missing from the document',
    );
    assert.deepEqual(
      [...documented].filter((r) => !registered.includes(r)),
      [],
      'documented routes that do not exist',
    );
    for (const route of documented) {
      const [method = '', url = ''] = route.split(' ');
      assert.ok(app.app.hasRoute({ method, url }), route);
    }
  });

  it('is served at /api/openapi.json as OpenAPI 3.1', async () => {
    const res = await api(app.url, 'GET', '/api/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.json['openapi'], '3.1.0');
    assert.deepEqual(res.json, JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
  });

  it('names its license and servers, and its relative server reaches the sandbox that served it', async () => {
    const docUrl = `${app.url}/api/openapi.json`;
    const doc = (await (await fetch(docUrl)).json()) as typeof OPENAPI_DOCUMENT;
    const pkg = JSON.parse(
      await readFile(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8'),
    ) as { license: string };
    assert.equal(doc.info.license.identifier, pkg.license);
    assert.ok(doc.servers.length >= 1);
    // A client generator resolves a relative server URL against the document's own URL.
    const server = new URL(doc.servers[0]?.url ?? '', docUrl).href.replace(/\/$/, '');
    const res = await api(server, 'GET', '/api/merchants');
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.json['items']));
    for (const s of doc.servers) assert.doesNotThrow(() => new URL(s.url, docUrl), s.url);
  });

  it('resolves every $ref, and answers every problem code as application/problem+json', () => {
    const doc = OPENAPI_DOCUMENT as unknown as Record<string, Record<string, Record<string, unknown>>>;
    for (const ref of refsIn(OPENAPI_DOCUMENT)) {
      const [, section, name] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref) ?? [];
      assert.ok(section && name && doc['components']?.[section]?.[name], `unresolved ${ref}`);
    }
    for (const code of Object.keys(PROBLEM_CODES)) {
      assert.ok(OPENAPI_DOCUMENT.components.responses[code]?.content?.['application/problem+json']);
    }
  });

  it('gives every operation an id, path parameters for its placeholders, and its error answers', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(OPENAPI_DOCUMENT.paths)) {
      const placeholders = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
        ids.add(op.operationId);
        const inPath = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        assert.deepEqual(inPath, placeholders, `${method} ${path}`);
        for (const status of ['401', '403', '500'])
          assert.ok(op.responses[status], `${method} ${path} ${status}`);
        if (op.requestBody) assert.ok(op.responses['400'] && op.responses['415'] && op.responses['413']);
      }
    }
  });

  it('marks exactly the operations a merchant key is refused as x-operator-only', async () => {
    const partner = '2088101122136241';
    const key = await api(app.url, 'POST', `/api/merchants/${partner}/api-keys`, { name: 'probe' });
    const secret = key.json['secret'] as string;
    for (const [path, item] of Object.entries(OPENAPI_DOCUMENT.paths)) {
      const url = path.replace('{partner}', partner).replace(/\{\w+\}/g, 'x');
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const res = await apiWith(
          secret,
          app.url,
          method.toUpperCase(),
          url,
          method === 'get' ? undefined : {},
        );
        const refused = res.status === 403 && /needs the admin token/.test(String(res.json['detail']));
        assert.equal(refused, op['x-operator-only'] === true, `${method} ${path}`);
      }
    }
  });

  it('derives request bodies from the validation schemas (unknown fields refused)', () => {
    const schemas = OPENAPI_DOCUMENT.components.schemas;
    assert.equal(schemas['NewMerchant']?.['additionalProperties'], false);
    assert.deepEqual(schemas['NewMerchant']?.['required'], ['partner']);
    assert.equal(schemas['RuleInput']?.['additionalProperties'], false);
    assert.deepEqual(schemas['NewApiKey']?.['required'], ['name']);
  });

  it('documents the amount of POST /api/wallet/pay, which pays a merchant QR code', async () => {
    const op = OPENAPI_DOCUMENT.paths['/api/wallet/pay']?.post;
    assert.ok(op);
    assert.deepEqual(refsIn(op.requestBody), ['#/components/schemas/WalletAction']);
    const body = OPENAPI_DOCUMENT.components.schemas['WalletAction'] as {
      properties: Record<string, { type?: string; description?: string; maxLength?: number }>;
    };
    const amount = body.properties['amount'];
    assert.equal(amount?.type, 'string');
    assert.equal(amount?.maxLength, 32);
    assert.match(amount?.description ?? '', /merchant QR code/);
    // The documented body is the one the route takes: a merchant code paid by amount.
    const created = await callGateway(app.url, 'alipay.commerce.qrcode.create', aMerchantQr());
    const qrCode = created.envelope.response.qrcode ?? '';
    const paid = await api(app.url, 'POST', '/api/wallet/pay', { qrCode, amount: '3.10' });
    assert.equal(paid.status, 200, JSON.stringify(paid.json));
    assert.equal(paid.json['amount'], '3.10');
  });
});
