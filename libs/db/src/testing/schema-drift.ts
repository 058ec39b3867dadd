/**
 * Finds where `schema.prisma` and a migrated database disagree, without Prisma's native schema
 * engine (`prisma migrate diff` can't run offline): the schema goes through Prisma's own parser
 * (`@prisma/prisma-schema-wasm`, the build matching the installed Prisma) into its DMMF, which
 * is turned into the tables, columns, types, nullability, defaults, keys, indexes, foreign keys
 * and enums Prisma Migrate would create; the database's are read from pg_catalog; the two are
 * compared item by item.
 *
 * A construct this file doesn't know (a native type, a default function) fails loudly rather
 * than being skipped: extend the mapping then.
 */
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { Client } from 'pg';

export interface SchemaShape {
  readonly tables: Record<string, TableShape>;
  readonly enums: Record<string, readonly string[]>;
}

export interface TableShape {
  readonly columns: Record<string, ColumnShape>;
  /** Primary key, unique and plain indexes by name. */
  readonly indexes: Record<string, IndexShape>;
  /** Foreign keys by their columns (Prisma's DMMF doesn't carry the constraint's name). */
  readonly foreignKeys: Record<string, ForeignKeyShape>;
}

export interface ColumnShape {
  /** As PostgreSQL's `format_type` spells it, e.g. `timestamp(3) with time zone`. */
  readonly type: string;
  readonly nullable: boolean;
  /** As `pg_get_expr` spells it, or null. */
  readonly default: string | null;
}

export interface IndexShape {
  readonly kind: 'primary' | 'unique' | 'index';
  readonly columns: readonly string[];
}

export interface ForeignKeyShape {
  readonly references: string;
  readonly onDelete: string;
  readonly onUpdate: string;
}

// --- what Prisma's DMMF says (the parts used here) ---

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt: boolean;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: Array<{ name: string }>;
}
interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: Array<{ name: string; dbName?: string | null }>;
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };
}

export function parseDmmf(schema: string): Dmmf {
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] }))) as Dmmf;
}

/** The database Prisma Migrate would create for this schema. */
export function expectedShape(schema: string): SchemaShape {
  const { datamodel } = parseDmmf(schema);
  const enumDbName = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const modelTable = new Map(datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
  const tables: Record<string, TableShape> = {};

  for (const model of datamodel.models) {
    const table = model.dbName ?? model.name;
    const columnOf = new Map(model.fields.map((f) => [f.name, f.dbName ?? f.name]));
    const columns: Record<string, ColumnShape> = {};
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const column = field.dbName ?? field.name;
      const type = columnType(model.name, field, enumDbName);
      columns[column] = { type, nullable: field.isList || !field.isRequired, default: columnDefault(table, column, field, type) };
    }
    const indexes: Record<string, IndexShape> = {};
    for (const index of datamodel.indexes.filter((i) => i.model === model.name)) {
      const cols = index.fields.map((f) => columnOf.get(f.name) ?? f.name);
      const kind = index.type === 'id' ? 'primary' : index.type === 'unique' ? 'unique' : 'index';
      if (index.type === 'fulltext') throw new Error(`${model.name}: fulltext indexes are not mapped by the drift test`);
      const suffix = kind === 'primary' ? 'pkey' : kind === 'unique' ? 'key' : 'idx';
      const name = index.dbName ?? (kind === 'primary' ? `${table}_pkey` : `${table}_${cols.join('_')}_${suffix}`);
      indexes[name] = { kind, columns: cols };
    }
    const foreignKeys: Record<string, ForeignKeyShape> = {};
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
      const target = datamodel.models.find((m) => m.name === field.type);
      if (!target) throw new Error(`${model.name}.${field.name}: unknown relation target ${field.type}`);
      const targetColumn = new Map(target.fields.map((f) => [f.name, f.dbName ?? f.name]));
      const from = field.relationFromFields.map((f) => columnOf.get(f) ?? f);
      const to = (field.relationToFields ?? []).map((f) => targetColumn.get(f) ?? f);
      const optional = field.relationFromFields.some((f) => !model.fields.find((x) => x.name === f)?.isRequired);
      foreignKeys[from.join(',')] = {
        references: `${modelTable.get(target.name)}(${to.join(',')})`,
        onDelete: referentialAction(field.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict')),
        onUpdate: referentialAction(field.relationOnUpdate ?? 'Cascade'),
      };
    }
    tables[table] = { columns, indexes, foreignKeys };
  }

  const enums: Record<string, string[]> = {};
  for (const e of datamodel.enums) enums[e.dbName ?? e.name] = e.values.map((v) => v.dbName ?? v.name);
  return { tables, enums };
}

const SCALAR_TYPES: Readonly<Record<string, string>> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

const NATIVE_TYPES: Readonly<Record<string, (args: string[]) => string>> = {
  Text: () => 'text',
  Uuid: () => 'uuid',
  Citext: () => 'citext',
  Inet: () => 'inet',
  VarChar: (a) => (a.length ? `character varying(${a[0]})` : 'character varying'),
  Char: (a) => `character(${a[0] ?? 1})`,
  SmallInt: () => 'smallint',
  Integer: () => 'integer',
  BigInt: () => 'bigint',
  Real: () => 'real',
  DoublePrecision: () => 'double precision',
  Decimal: (a) => (a.length ? `numeric(${a.join(',')})` : 'numeric'),
  Boolean: () => 'boolean',
  Date: () => 'date',
  Timestamp: (a) => `timestamp(${a[0] ?? 3}) without time zone`,
  Timestamptz: (a) => `timestamp(${a[0] ?? 3}) with time zone`,
  Time: (a) => `time(${a[0] ?? 3}) without time zone`,
  Timetz: (a) => `time(${a[0] ?? 3}) with time zone`,
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
};

function columnType(model: string, field: DmmfField, enumDbName: Map<string, string>): string {
  let base: string;
  if (field.kind === 'enum') {
    base = quoteIdentIfNeeded(enumDbName.get(field.type) ?? field.type);
  } else if (field.nativeType) {
    const [name, args] = field.nativeType;
    const map = NATIVE_TYPES[name];
    if (!map) throw new Error(`${model}.${field.name}: native type @db.${name} is not mapped by the drift test`);
    base = map(args);
  } else {
    const mapped = SCALAR_TYPES[field.type];
    if (!mapped) throw new Error(`${model}.${field.name}: type ${field.type} is not mapped by the drift test`);
    base = mapped;
  }
  return field.isList ? `${base}[]` : base;
}

function columnDefault(table: string, column: string, field: DmmfField, type: string): string | null {
  const value = field.default;
  if (value === undefined || field.isUpdatedAt) return null;
  if (typeof value === 'object' && value !== null && 'name' in value) {
    const fn = value as { name: string; args: unknown[] };
    switch (fn.name) {
      case 'now':
        return 'CURRENT_TIMESTAMP';
      case 'dbgenerated':
        return String(fn.args[0] ?? '');
      case 'autoincrement':
        return `nextval('${table}_${column}_seq'::regclass)`;
      case 'uuid':
      case 'cuid':
      case 'nanoid':
      case 'ulid':
        return null; // generated by the client, not the database
      default:
        throw new Error(`${table}.${column}: default ${fn.name}() is not mapped by the drift test`);
    }
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? `ARRAY[]::${type}` : `ARRAY[${value.map((v) => literal(v, type.slice(0, -2))).join(', ')}]`;
  }
  return literal(value, type);
}

function literal(value: unknown, type: string): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return value < 0 ? `'${value}'::${type}` : String(value);
  return `'${String(value).replace(/'/g, "''")}'::${type}`;
}

function referentialAction(action: string): string {
  const names: Record<string, string> = { Cascade: 'CASCADE', Restrict: 'RESTRICT', NoAction: 'NO ACTION', SetNull: 'SET NULL', SetDefault: 'SET DEFAULT' };
  const name = names[action];
  if (!name) throw new Error(`referential action ${action} is not mapped by the drift test`);
  return name;
}

function quoteIdentIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

// --- what the database has ---

/** The `public` schema of the database at `url`, as the comparison sees it (without `_prisma_migrations`). */
export async function actualShape(url: string): Promise<SchemaShape> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables: Record<string, { columns: Record<string, ColumnShape>; indexes: Record<string, IndexShape>; foreignKeys: Record<string, ForeignKeyShape> }> = {};
    const table = (name: string) => (tables[name] ??= { columns: {}, indexes: {}, foreignKeys: {} });

    const columns = await client.query<{ table: string; column: string; type: string; nullable: boolean; default: string | null }>(`
      SELECT c.relname::text AS table, a.attname::text AS column, format_type(a.atttypid, a.atttypmod) AS type,
             NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`);
    for (const row of columns.rows) table(row.table).columns[row.column] = { type: row.type, nullable: row.nullable, default: row.default };

    const indexes = await client.query<{ table: string; name: string; primary: boolean; unique: boolean; columns: string[] }>(`
      SELECT t.relname::text AS table, i.relname::text AS name, x.indisprimary AS primary, x.indisunique AS unique,
             array(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(num, ord)
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.num ORDER BY k.ord)::text[] AS columns
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`);
    for (const row of indexes.rows) {
      table(row.table).indexes[row.name] = { kind: row.primary ? 'primary' : row.unique ? 'unique' : 'index', columns: row.columns };
    }

    const actions: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
    const foreignKeys = await client.query<{ table: string; columns: string[]; ref_table: string; ref_columns: string[]; on_delete: string; on_update: string }>(`
      SELECT t.relname::text AS table, r.relname::text AS ref_table, con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update,
             array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS columns,
             array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS ref_columns
        FROM pg_constraint con
        JOIN pg_class t ON t.oid = con.conrelid
        JOIN pg_class r ON r.oid = con.confrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE con.contype = 'f' AND n.nspname = 'public'`);
    for (const row of foreignKeys.rows) {
      table(row.table).foreignKeys[row.columns.join(',')] = {
        references: `${row.ref_table}(${row.ref_columns.join(',')})`,
        onDelete: actions[row.on_delete] ?? row.on_delete,
        onUpdate: actions[row.on_update] ?? row.on_update,
      };
    }

    const enums = await client.query<{ name: string; values: string[] }>(`
      SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)::text[] AS values
        FROM pg_type t
        JOIN pg_enum e ON e.enumtypid = t.oid
        JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = 'public'
       GROUP BY t.typname`);
    return { tables, enums: Object.fromEntries(enums.rows.map((row) => [row.name, row.values])) };
  } finally {
    await client.end();
  }
}

// --- the comparison ---

/** One line per disagreement; empty when the database is exactly what the schema describes. */
export function schemaDifferences(expected: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  compareKeys('table', expected.tables, actual.tables, '', out, (name, want, have) => {
    compareKeys('column', want.columns, have.columns, `${name}.`, out, (column, w, h) => {
      for (const key of ['type', 'nullable', 'default'] as const) {
        if (w[key] !== h[key]) out.push(`${name}.${column}: ${key} is ${show(h[key])} in the migrations, ${show(w[key])} in schema.prisma`);
      }
    });
    compareKeys('index', want.indexes, have.indexes, `${name}.`, out, (index, w, h) => {
      if (w.kind !== h.kind || w.columns.join(',') !== h.columns.join(',')) {
        out.push(`${name}: index ${index} is ${h.kind}(${h.columns.join(',')}) in the migrations, ${w.kind}(${w.columns.join(',')}) in schema.prisma`);
      }
    });
    compareKeys('foreign key on', want.foreignKeys, have.foreignKeys, `${name}.`, out, (columns, w, h) => {
      if (JSON.stringify(w) !== JSON.stringify(h)) out.push(`${name}(${columns}): foreign key is ${JSON.stringify(h)} in the migrations, ${JSON.stringify(w)} in schema.prisma`);
    });
  });
  compareKeys('enum', expected.enums, actual.enums, '', out, (name, want, have) => {
    if (want.join(',') !== have.join(',')) out.push(`enum ${name}: values are ${have.join(',')} in the migrations, ${want.join(',')} in schema.prisma`);
  });
  return out;
}

function compareKeys<T>(
  what: string,
  expected: Record<string, T>,
  actual: Record<string, T>,
  prefix: string,
  out: string[],
  both: (key: string, expected: T, actual: T) => void,
): void {
  for (const key of Object.keys(expected).sort()) {
    if (!(key in actual)) out.push(`${what} ${prefix}${key} is in schema.prisma but not in the migrations`);
    else both(key, expected[key] as T, actual[key] as T);
  }
  for (const key of Object.keys(actual).sort()) {
    if (!(key in expected)) out.push(`${what} ${prefix}${key} is in the migrations but not in schema.prisma`);
  }
}

function show(value: unknown): string {
  return value === null ? 'none' : JSON.stringify(value);
}
