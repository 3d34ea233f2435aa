import type { Compilable, CompiledQuery, DialectAdapter, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

/** Marks where a named parameter went while the template is compiled; never reaches a database. */
const MARK = '\u0000precompiled-parameter:';

/** A slot of the parameter list: a named parameter's value, or a constant the query itself holds. */
type Slot = { name: string } | { value: unknown };

interface Template {
  sql: string;
  query: CompiledQuery['query'];
  queryId: CompiledQuery['queryId'];
  slots: readonly Slot[];
}

/**
 * A dialect adapter that runs a compiled statement itself, outside a transaction or inside the one
 * whose callback runs, without Kysely's executor (GroupCommitSqliteAdapter): its connection handling
 * and promises were an eighth of what a SQLite query's answer allocated (docs/performance-history.md).
 */
export interface DirectStatements {
  runStatement(query: CompiledQuery): Promise<QueryResult<unknown>>;
  /** A statement of the transaction whose callback is running: it holds the handle already. */
  runInTransaction(query: CompiledQuery): Promise<QueryResult<unknown>>;
}

function runsStatements(adapter: DialectAdapter): adapter is DialectAdapter & DirectStatements {
  return typeof (adapter as Partial<DirectStatements>).runStatement === 'function';
}

/** A query built through Kysely once per database, then run with fresh parameter values. */
export interface PrecompiledQuery<P, R> {
  execute(db: Kysely<Database>, params: P): Promise<QueryResult<R>>;
  /** The query with these values, for a driver to run itself; throws when it does not compile. */
  compiled(db: Kysely<Database>, params: P): CompiledQuery<R>;
}

/**
 * Builds and compiles a hot query once per database (per dialect adapter, so SQLite and PostgreSQL
 * each get their own SQL) instead of on every execution: building and compiling a query costs more
 * than SQLite running it (docs/performance-history.md). `names` lists the parameters; `build` must use each
 * one as a plain value (a where operand, an inserted value), never transformed or spliced into SQL,
 * and compiling checks that. A query whose shape depends on the values (optional clauses, lists of
 * any length) does not fit: build it normally.
 */
export function precompile<P extends object, R>(
  names: readonly (keyof P & string)[],
  build: (db: Kysely<Database>, params: P) => Compilable<R>,
): PrecompiledQuery<P, R> {
  const templates = new WeakMap<DialectAdapter, Template>();

  function compile(db: Kysely<Database>): Template {
    const marked = Object.fromEntries(names.map((name) => [name, `${MARK}${name}`])) as P;
    const compiled = build(db, marked).compile();
    if (compiled.sql.includes(MARK)) throw new Error('precompile: a parameter was spliced into the SQL');
    const slots = compiled.parameters.map((value): Slot => {
      if (typeof value === 'string' && value.startsWith(MARK)) return { name: value.slice(MARK.length) };
      return { value };
    });
    for (const name of names) {
      if (!slots.some((s) => 'name' in s && s.name === name))
        throw new Error(`precompile: parameter ${name} is not a plain value of the query`);
    }
    return { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, slots };
  }

  /** The compiled query with these values; undefined when plugins rewrite each query (compile it afresh then). */
  function withValues(db: Kysely<Database>, params: P): CompiledQuery<R> | undefined {
    const executor = db.getExecutor();
    if (executor.plugins.length > 0) return undefined;
    let template = templates.get(executor.adapter);
    if (template === undefined) {
      template = compile(db);
      templates.set(executor.adapter, template);
    }
    const parameters = template.slots.map((s) => ('name' in s ? params[s.name as keyof P] : s.value));
    return { sql: template.sql, query: template.query, queryId: template.queryId, parameters };
  }

  return {
    execute(db, params) {
      let query: CompiledQuery<R> | undefined;
      try {
        query = withValues(db, params);
      } catch (err) {
        // A rejection like any failed query, not a throw from execute() itself.
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      // Plugins may rewrite each query; compile it afresh then, as Kysely would.
      if (query === undefined) return db.executeQuery(build(db, params));
      // A statement needs nothing of Kysely's executor but the connection, which the driver knows.
      const adapter = db.getExecutor().adapter;
      if (runsStatements(adapter)) {
        const result = db.isTransaction ? adapter.runInTransaction(query) : adapter.runStatement(query);
        return result as Promise<QueryResult<R>>;
      }
      return db.executeQuery(query);
    },
    compiled(db, params) {
      return withValues(db, params) ?? build(db, params).compile();
    },
  };
}
