/**
 * Golden wire tests. Each test/golden/NN-name.txt holds one request exactly as sent (`# ` description
 * lines, `METHOD target`, header lines, a blank line, the body) and, after a `=== response` line, the
 * exact answer decoded from GBK. The cases run in file-name order against one fresh sandbox: the
 * manual clock of startTestApp (2026-11-26T04:00:00Z) fixes every time, and alipay_trans_id comes from a
 * store sequence, so later cases see the trades of earlier ones and every byte is deterministic.
 *
 *   UPDATE_GOLDEN=1 npm test -- golden
 *
 * rewrites the answers (never the requests) from what the sandbox says now; review the diff before
 * committing. To add a case, write its request half (sign it with the demo merchant's key from
 * src/demo-accounts.ts, e.g. with buildSignString + md5Sign of src/protocol/sign.ts) and run the above.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { parseHttpResponse, socketExchange } from '../helpers/raw-socket.js';
import { dropSchema, freshSchemaName, postgresSkipReason, TEST_PG_URL } from '../helpers/store-matrix.js';

const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const MARKER = '\n=== response\n';

/** One golden case: the request as written in the file and the expected answer text. */
interface GoldenCase {
  file: string;
  /** Everything before the marker, written back unchanged on update. */
  requestText: string;
  method: string;
  target: string;
  headers: string[];
  body: string;
  expected: string;
}

/** test/golden in the source tree, found from here whether this runs from test/ or dist/test/. */
function goldenDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above the golden test');
    dir = parent;
  }
  return join(dir, 'test', 'golden');
}

function parseCase(dir: string, file: string): GoldenCase {
  const text = readFileSync(join(dir, file), 'utf8');
  const at = text.indexOf(MARKER);
  assert.ok(at >= 0, `${file}: no "=== response" line`);
  const requestText = text.slice(0, at);
  const split = requestText.indexOf('\n\n');
  assert.ok(split >= 0, `${file}: no blank line after the request head`);
  const head = requestText
    .slice(0, split)
    .split('\n')
    .filter((line) => !line.startsWith('# '));
  const [requestLine = '', ...headers] = head;
  const [method = '', target = ''] = requestLine.split(' ');
  const expected = text.slice(at + MARKER.length).replace(/\n$/, '');
  return { file, requestText, method, target, headers, body: requestText.slice(split + 2), expected };
}

function loadCases(): GoldenCase[] {
  const dir = goldenDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => parseCase(dir, f));
}

/** Sends the case's bytes as they are written (no client normalises them) and returns the answer text. */
async function send(app: TestApp, c: GoldenCase): Promise<string> {
  const body = Buffer.from(c.body, 'latin1');
  const head =
    `${c.method} ${c.target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
    c.headers.map((h) => `${h}\r\n`).join('') +
    (c.method === 'GET' ? '' : `Content-Length: ${body.length}\r\n`) +
    '\r\n';
  const reply = await socketExchange(app.url, Buffer.concat([Buffer.from(head, 'latin1'), body]));
  const http = parseHttpResponse(reply.bytes);
  assert.ok(http, `${c.file}: no HTTP answer`);
  assert.equal(http.status, 200, c.file);
  assert.equal(http.headers['content-type'], 'text/xml; charset=GBK', c.file);
  const text = iconv.decode(http.body, 'gbk');
  // The text is the exact bytes: encoding it again gives the body back (no character was lost).
  assert.deepEqual(iconv.encode(text, 'gbk'), http.body, `${c.file}: not a faithful GBK text`);
  return text;
}

describe('golden wire tests (test/golden)', () => {
  const cases = loadCases();
  const answers: string[] = [];
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  it('has the cases the protocol document walks through', () => {
    assert.ok(cases.length >= 10, `only ${cases.length} golden cases`);
    assert.ok(cases.every((c) => ['GET', 'POST'].includes(c.method)));
  });

  for (const c of cases) {
    it(c.file, async () => {
      const actual = await send(app, c);
      answers.push(actual);
      if (UPDATE) {
        writeFileSync(join(goldenDir(), c.file), `${c.requestText}${MARKER}${actual}\n`);
        return;
      }
      assert.equal(actual, c.expected);
    });
  }

  it('a second fresh sandbox answers every case byte for byte the same (ids come from the store)', async () => {
    const other = await startTestApp();
    try {
      for (const [i, c] of cases.entries()) assert.equal(await send(other, c), answers[i], c.file);
    } finally {
      await other.close();
    }
  });
});

// The same cases on PostgreSQL, where the ledger's statements differ (a pay is one statement that
// numbers the trade in SQL): the wire must not.
describe(
  'golden wire tests on PostgreSQL: byte for byte the answers of test/golden',
  { skip: UPDATE ? 'UPDATE_GOLDEN rewrites from SQLite' : postgresSkipReason() },
  () => {
    const cases = loadCases();
    const schema = freshSchemaName();
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ db: TEST_PG_URL, dbSchema: schema, dbPoolSize: '3' });
    });
    after(async () => {
      await app?.close();
      await dropSchema(schema);
    });

    for (const c of cases) {
      it(c.file, async () => assert.equal(await send(app, c), c.expected));
    }
  },
);
