import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate, templateProblems } from '../../src/rules/render-template.js';

const NOW = new Date('2025-01-31T16:04:05.678Z'); // 2025-02-01 00:04:05.678 in Beijing

test('{{name}} is replaced by the request parameter', () => {
  assert.equal(renderTemplate('id {{partner_trans_id}}!', { partner_trans_id: 'P1' }, NOW), 'id P1!');
});

test('{{name}} of an absent parameter renders empty', () => {
  assert.equal(renderTemplate('[{{memo}}]', {}, NOW), '[]');
  assert.equal(renderTemplate('[{{constructor}}]', {}, NOW), '[]');
});

test('{{now:yyyyMMddHHmmss}} is Beijing time, across the UTC date line', () => {
  assert.equal(renderTemplate('{{now:yyyyMMddHHmmss}}', {}, NOW), '20250201000405');
  assert.equal(renderTemplate('{{now:yyyy-MM-dd HH:mm:ss.SSS}}', {}, NOW), '2025-02-01 00:04:05.678');
});

test('anything that is not a placeholder is left as written, and nothing is evaluated', () => {
  const text = '{{ memo }} {{now:epoch}} {{a.b}} ${process.env.HOME} {{x:yyyy}}';
  assert.equal(renderTemplate(text, { memo: 'm', x: 'X' }, NOW), text);
});

test('text without placeholders comes back unchanged', () => {
  assert.equal(renderTemplate('plain', {}, NOW), 'plain');
});

test('templateProblems names each bad placeholder and accepts good ones', () => {
  assert.deepEqual(templateProblems('{{partner}} {{now:yyyyMMdd}}'), []);
  assert.equal(templateProblems('{{ partner }}').length, 1);
  assert.equal(templateProblems('{{now}}').length, 1);
  assert.equal(templateProblems('{{now:epoch}}').length, 1);
  assert.equal(templateProblems('{{memo:yyyy}}').length, 1);
});
