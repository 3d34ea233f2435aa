import {
  PostgresDialect,
  sql,
  type DatabaseIntrospector,
  type Kysely,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';

/**
 * Kysely's migrator looks for its own tables through the dialect's introspector, and PostgreSQL's
 * default one reads every table of every schema, calling functions that resolve schema and table
 * names (`pg_get_serial_sequence`, `has_schema_privilege`): when another schema of the database is
 * dropped at that moment (another sandbox, or test runs sharing the database), the query fails and
 * the sandbox does not start. This one lists the tables of the connection's current schema only
 * (the store's), from the catalog, without name lookups. Table names only: columns are left empty,
 * and nothing but the migrator introspects.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;
  readonly #fallback: DatabaseIntrospector;
  constructor(db: Kysely<unknown>, fallback: DatabaseIntrospector) {
    this.#db = db;
    this.#fallback = fallback;
  }

  getSchemas(): Promise<SchemaMetadata[]> {
    return this.#fallback.getSchemas();
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')`.execute(this.#db);
    return rows.map((r) => ({
      name: r.name,
      schema: r.schema,
      isView: r.kind === 'v' || r.kind === 'm',
      isForeign: false,
      columns: [],
    }));
  }
}

/** Kysely's PostgreSQL dialect with the introspector above. */
export class StorePostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db, super.createIntrospector(db));
  }
}
