import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { banner } from '../../src/commands/serve.js';

describe('scale-out settings', () => {
  it('has defaults: a pool of 10, the server’s schema, 10 s of grace', () => {
    const config = loadConfig({}, {});
    assert.equal(config.dbPoolSize, 10);
    assert.equal(config.dbSchema, undefined);
    assert.equal(config.shutdownGraceSeconds, 10);
  });

  it('reads the environment, and a flag wins over it', () => {
    const env = {
      ALIPAY_MOCK_DB_POOL_SIZE: '4',
      ALIPAY_MOCK_DB_SCHEMA: 'sandbox_a',
      ALIPAY_MOCK_SHUTDOWN_GRACE_SECONDS: '30',
    };
    assert.deepEqual(
      (({ dbPoolSize, dbSchema, shutdownGraceSeconds }) => ({ dbPoolSize, dbSchema, shutdownGraceSeconds }))(
        loadConfig({}, env),
      ),
      { dbPoolSize: 4, dbSchema: 'sandbox_a', shutdownGraceSeconds: 30 },
    );
    assert.equal(loadConfig({ dbPoolSize: '2', dbSchema: 'b' }, env).dbPoolSize, 2);
    assert.equal(loadConfig({ dbPoolSize: '2', dbSchema: 'b' }, env).dbSchema, 'b');
  });

  it('refuses a schema that is no plain identifier and a pool of none, naming flag and variable', () => {
    assert.throws(
      () => loadConfig({ dbSchema: 'x"; drop table trades; --' }, {}),
      (err: Error) => err instanceof ConfigError && /--db-schema \/ ALIPAY_MOCK_DB_SCHEMA/.test(err.message),
    );
    assert.throws(
      () => loadConfig({}, { ALIPAY_MOCK_DB_POOL_SIZE: '0' }),
      (err: Error) =>
        err instanceof ConfigError && /--db-pool-size \/ ALIPAY_MOCK_DB_POOL_SIZE/.test(err.message),
    );
  });

  it('shows the schema, never the password, in the banner', () => {
    const config = loadConfig({ db: 'postgres://app:s3cret@db:5432/sandbox', dbSchema: 'sandbox_a' }, {});
    const text = banner('http://127.0.0.1:8080', config);
    assert.match(text, /store {6}postgres:\/\/\*\*\*@db:5432\/sandbox \(schema sandbox_a\)/);
    assert.doesNotMatch(text, /s3cret/);
  });
});
