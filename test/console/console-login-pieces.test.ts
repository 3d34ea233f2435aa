import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DECOY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../src/console/password-hash.js';
import { DEMO_CONSOLE_LOGINS } from '../../src/demo-accounts.js';
import { safeNext } from '../../src/console/login-routes.js';
import { groupedDigits } from '../../src/console/buyer-routes.js';

test('a password hash is scrypt with its parameters and a random salt, and verifies only its password', async () => {
  const a = await hashPassword('correct horse');
  const b = await hashPassword('correct horse');
  assert.match(a, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('correct horse', a), true);
  assert.equal(await verifyPassword('correct horsE', a), false);
  assert.equal(await verifyPassword('', a), false);
});

test('malformed hashes never verify, and the decoy matches no password', async () => {
  for (const stored of ['', 'plain', 'scrypt$1$1$1$AA==$AA==', 'scrypt$1048576$8$1$AAAA$AAAA', 'bcrypt$x']) {
    assert.equal(await verifyPassword('x', stored), false, stored);
  }
  assert.equal(await verifyPassword('', DECOY_PASSWORD_HASH), false);
});

test('the demo logins hash their documented passwords', async () => {
  for (const login of DEMO_CONSOLE_LOGINS) {
    assert.equal(await verifyPassword(login.password, login.passwordHash), true, login.email);
  }
});

test('after sign-in only a path of this console is followed', () => {
  assert.equal(
    safeNext('/m/2088101122136241/rules?service=pay', '/'),
    '/m/2088101122136241/rules?service=pay',
  );
  for (const next of [
    undefined,
    '',
    'https://evil.test',
    '//evil.test',
    '/\\evil.test',
    '/login',
    'm/x',
    '/a b',
  ]) {
    assert.equal(safeNext(next, '/home'), '/home', String(next));
  }
});

test("payment codes are grouped by four like the buyer's app prints them", () => {
  assert.equal(groupedDigits('281111111111111111'), '2811 1111 1111 1111 11');
});
