import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findMigrationsDir } from '../lib/migrations/migration-files';
import { createTestDatabase, TestDatabase } from './test-database';
import { actualShape, expectedShape, schemaDifferences, SchemaShape } from './schema-drift';

const schemaPath = join(findMigrationsDir(), '..', 'schema.prisma');
const schema = readFileSync(schemaPath, 'utf8');

/** schema.prisma with one edit, which must be found in it exactly once. */
function editedSchema(from: string | RegExp, to: string): string {
  const count = typeof from === 'string' ? schema.split(from).length - 1 : (schema.match(new RegExp(from, 'g')) ?? []).length;
  if (count !== 1) throw new Error(`edit target ${from} found ${count} times in schema.prisma`);
  return schema.replace(from, to);
}

describe('schema.prisma and prisma/migrations', () => {
  let db: TestDatabase;
  let migrated: SchemaShape;

  beforeAll(async () => {
    db = await createTestDatabase();
    migrated = await actualShape(db.url);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('describe the same database (the drift test: add a migration when this fails)', () => {
    expect(schemaDifferences(expectedShape(schema), migrated)).toEqual([]);
  });

  it('cover every model, column, index and enum (the comparison is not vacuous)', () => {
    expect(Object.keys(migrated.tables).sort()).toEqual([
      'api_keys',
      'audit_log',
      'catalogue_sources',
      'leases',
      'login_throttle',
      'oidc_clients',
      'oidc_model',
      'recovery_codes',
      'role_settings',
      'shared_secrets',
      'signing_keys',
      'status_checks',
      'status_component_states',
      'status_deliveries',
      'status_incident_updates',
      'status_incidents',
      'status_maintenances',
      'status_rollups',
      'status_subscribers',
      'stored_responses',
      'usage_daily',
      'usage_daily_models',
      'usage_daily_users',
      'usage_records',
      'user_sessions',
      'users',
    ]);
    expect(migrated.tables['oidc_model']?.indexes).toEqual({
      oidc_model_pkey: { kind: 'primary', columns: ['model', 'id'] },
      oidc_model_grant_id_idx: { kind: 'index', columns: ['grant_id'] },
      oidc_model_uid_idx: { kind: 'index', columns: ['uid'] },
      oidc_model_user_code_idx: { kind: 'index', columns: ['user_code'] },
      oidc_model_expires_at_idx: { kind: 'index', columns: ['expires_at'] },
    });
    expect(migrated.tables['users']?.columns['email']).toEqual({ type: 'text', nullable: false, default: null });
    expect(migrated.tables['usage_records']?.columns['endpoint']).toEqual({ type: 'text', nullable: true, default: null });
    expect(migrated.tables['users']?.columns['role']).toEqual({ type: 'user_role', nullable: false, default: "'viewer'::user_role" });
    expect(migrated.enums).toEqual({
      user_role: ['admin', 'developer', 'researcher', 'viewer'],
      status_impact: ['none', 'minor', 'major', 'critical'],
      status_incident_state: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'],
    });
  });

  it.each([
    ['a column made optional', 'name         String\n', 'name         String?\n', 'users.name: nullable is false in the migrations, true in schema.prisma'],
    ['a renamed column', '@map("password_hash")', '@map("pw_hash")', 'column users.pw_hash is in schema.prisma but not in the migrations'],
    ['a new column', '  holder    String\n', '  holder    String\n  note      String?\n', 'column leases.note is in schema.prisma but not in the migrations'],
    ['a changed type', 'failures    Int ', 'failures    BigInt ', 'login_throttle.failures: type is "integer" in the migrations, "bigint" in schema.prisma'],
    ['a changed precision', 'lastLoginAt  DateTime? @map("last_login_at") @db.Timestamptz(3)', 'lastLoginAt  DateTime? @map("last_login_at") @db.Timestamptz(6)', 'users.last_login_at: type is "timestamp(3) with time zone" in the migrations, "timestamp(6) with time zone" in schema.prisma'],
    ['a changed default', '@default("RS256")', '@default("ES256")', `signing_keys.alg: default is "'RS256'::text" in the migrations, "'ES256'::text" in schema.prisma`],
    ['a dropped unique', 'email        String    @unique', 'email        String', 'index users.users_email_key is in the migrations but not in schema.prisma'],
    ['a new index', '  @@index([at])\n  @@map("audit_log")', '  @@index([at])\n  @@index([actor, at])\n  @@map("audit_log")', 'index audit_log.audit_log_actor_at_idx is in schema.prisma but not in the migrations'],
    ['a renamed table', '@@map("leases")', '@@map("lease")', 'table lease is in schema.prisma but not in the migrations'],
    ['a new enum value', '  viewer\n', '  viewer\n  auditor\n', 'enum user_role: values are admin,developer,researcher,viewer in the migrations, admin,developer,researcher,viewer,auditor in schema.prisma'],
    ['a new relation', '  actor   String?\n', '  actor   String?   @db.Uuid\n  user    User?     @relation(fields: [actor], references: [id])\n', 'foreign key on audit_log.actor is in schema.prisma but not in the migrations'],
  ])('would be caught: %s', (_label, from, to, difference) => {
    let edited = editedSchema(from, to);
    // A relation needs its back-reference on the other model.
    if (to.includes('@relation')) edited = edited.replace('  @@map("users")', '  auditEntries AuditLog[]\n\n  @@map("users")');
    expect(schemaDifferences(expectedShape(edited), migrated)).toContain(difference);
  });

  it('reads the schema with the Prisma build the CLI uses', () => {
    const wasm = JSON.parse(readFileSync(require.resolve('@prisma/prisma-schema-wasm/package.json'), 'utf8')) as { version: string };
    const prisma = JSON.parse(readFileSync(require.resolve('prisma/package.json'), 'utf8')) as { version: string };
    expect(wasm.version.startsWith(`${prisma.version}-`)).toBe(true);
  });
});
