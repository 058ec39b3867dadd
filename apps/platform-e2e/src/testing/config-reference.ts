/**
 * Generates the configuration reference (docs/configuration.md) and .env.example from what the
 * apps really read: each app's environment schema (keys and their defaults), Login's client
 * list, the `${VAR}` placeholders of the shipped YAML files (with their `:-default`s and where
 * they are used), the logging and database pieces and `npm start`'s own variables; meanings
 * from libs/config's setting docs. A schema key without a meaning, or a meaning for a key no
 * schema has, throws: the reference cannot fall behind the code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import {
  DATABASE_SETTING_DOCS,
  gatewayEnvSchema,
  GATEWAY_SETTING_DOCS,
  LOGGING_SETTING_DOCS,
  LOGIN_CLIENT_SETTING_DOCS,
  LOGIN_CLIENTS,
  LOGIN_SETTING_DOCS,
  loginEnvSchema,
  START_SETTING_DOCS,
  STATUS_SETTING_DOCS,
  YAML_SETTING_DOCS,
  type SettingDocs,
} from '@orcest/config';
import { statusEnvSchema } from '@orcest/monitoring';

export interface Setting {
  readonly name: string;
  readonly default: string | undefined;
  readonly meaning: string;
  readonly secret: boolean;
}

export interface Section {
  readonly title: string;
  readonly intro: string;
  readonly settings: readonly Setting[];
}

type Shape = Readonly<Record<string, z.ZodType>>;

/** The schema's own default of a key, as text (undefined when it has none). */
function schemaDefault(field: z.ZodType): string | undefined {
  const def = (field as unknown as { _zod: { def: { type: string; defaultValue?: unknown; in?: z.ZodType } } })._zod.def;
  if (def.type === 'default') return String(def.defaultValue);
  if (def.type === 'pipe' && def.in) return schemaDefault(def.in);
  return undefined;
}

function fromSchema(shape: Shape, docs: SettingDocs, where: string, skip: ReadonlySet<string> = new Set()): Setting[] {
  const keys = Object.keys(shape).filter((k) => !skip.has(k));
  const undocumented = keys.filter((k) => !docs[k]);
  const stale = Object.keys(docs).filter((k) => !(k in shape));
  if (undocumented.length || stale.length) throw new Error(`${where}: no meaning for ${undocumented.join(', ') || '-'}; meaning for unknown ${stale.join(', ') || '-'}`);
  return keys.map((name) => ({ name, default: docs[name].default ?? schemaDefault(shape[name]), meaning: docs[name].meaning, secret: docs[name].secret ?? false }));
}

function fromDocs(docs: SettingDocs): Setting[] {
  return Object.entries(docs).map(([name, doc]) => ({ name, default: doc.default, meaning: doc.meaning, secret: doc.secret ?? false }));
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** A model_list entry named by its upstream (`model_list[hf]`), so a key's line says whose key it is. */
function deploymentLabel(item: unknown): string | undefined {
  const entry = item as { model_info?: { upstream?: unknown }; litellm_params?: { model?: unknown } } | null;
  const upstream = entry?.model_info?.upstream ?? (typeof entry?.litellm_params?.model === 'string' ? entry.litellm_params.model.split('/')[0] : undefined);
  return typeof upstream === 'string' ? upstream : undefined;
}

/** Every `${VAR}` of a YAML file: its first `:-default`, and the keys it fills (`model_list[].litellm_params.api_key`). */
function fromYaml(file: string, known: ReadonlySet<string>): Setting[] {
  const found = new Map<string, { default?: string; paths: Set<string> }>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(PLACEHOLDER)) {
        const entry = found.get(match[1]) ?? { paths: new Set<string>() };
        entry.default ??= match[2];
        entry.paths.add(path);
        found.set(match[1], entry);
      }
    } else if (Array.isArray(value)) value.forEach((item) => walk(item, `${path}[${deploymentLabel(item) ?? ''}]`));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
  };
  walk(parse(readFileSync(file, 'utf8')), '');
  return [...found]
    .filter(([name]) => !known.has(name))
    .map(([name, { default: fallback, paths }]) => ({
      name,
      default: fallback === '' ? undefined : fallback,
      meaning: YAML_SETTING_DOCS[name]?.meaning ?? `fills ${[...paths].map((p) => `\`${p}\``).join(', ')}`,
      secret: /KEY|TOKEN|SECRET/.test(name),
    }));
}

export function configReference(root: string): Section[] {
  const gatewayShape = gatewayEnvSchema.shape as Shape;
  const statusShape = statusEnvSchema.shape as Shape;
  const envKeys = new Set([...Object.keys(gatewayShape), ...Object.keys(loginEnvSchema.shape), ...Object.keys(statusShape), ...Object.keys(LOGGING_SETTING_DOCS), 'DATABASE_URL']);
  const clientSettings = LOGIN_CLIENTS.flatMap((client) =>
    Object.entries(LOGIN_CLIENT_SETTING_DOCS).map(([suffix, doc]) => ({
      name: `OIDC_${client.clientId.toUpperCase()}_${suffix}`,
      default: suffix === 'REDIRECT_URIS' ? client.defaultRedirect : doc.default,
      meaning: `${client.name}: ${doc.meaning}`,
      secret: doc.secret ?? false,
    })),
  );
  const gatewayYaml = fromYaml(join(root, 'config/litellm_config.yaml'), envKeys);
  const statusYaml = fromYaml(join(root, 'config/status.yaml'), new Set([...envKeys, ...gatewayYaml.map((s) => s.name)]));
  return [
    { title: 'Every app', intro: 'Logging (libs/logging) and the database (libs/db).', settings: [...fromDocs(LOGGING_SETTING_DOCS), ...fromDocs(DATABASE_SETTING_DOCS)] },
    { title: 'RainyModel gateway (apps/gateway)', intro: 'libs/config gateway-config.ts.', settings: fromSchema(gatewayShape, GATEWAY_SETTING_DOCS, 'gateway') },
    {
      title: 'RainyModel gateway: the shipped config/litellm_config.yaml',
      intro: 'Placeholders of the model config: a deployment whose api_key expands to nothing is skipped.',
      settings: [...gatewayYaml, ...fromDocs(YAML_SETTING_DOCS)],
    },
    { title: 'Login SSO (apps/login)', intro: 'libs/config login-config.ts; one set of OIDC_<CLIENT>_* per client.', settings: [...fromSchema(loginEnvSchema.shape as Shape, LOGIN_SETTING_DOCS, 'login'), ...clientSettings] },
    { title: 'Status (apps/status)', intro: 'libs/monitoring status-config.ts.', settings: fromSchema(statusShape, STATUS_SETTING_DOCS, 'status') },
    { title: 'Status: the shipped config/status.yaml', intro: 'Placeholders of the monitors file (apps/status/README.md describes every key).', settings: statusYaml },
    { title: 'npm start (tools/start.mjs)', intro: 'Reads .env at the repository root; the shell wins over it.', settings: fromDocs(START_SETTING_DOCS) },
  ];
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function renderMarkdown(sections: readonly Section[]): string {
  const out = [
    '# Configuration reference',
    '',
    '<!-- Generated from the config schemas by apps/platform-e2e/src/config-reference.spec.ts: `npm run docs:config` rewrites it; the test fails when it is stale. -->',
    '',
    'Every variable every app reads, its default and what it means. Each app validates its',
    'environment once at start and stops with the variable (and, for YAML, the file and line)',
    'when a value is wrong. `.env.example` lists the same variables to copy into `.env`.',
  ];
  for (const section of sections) {
    out.push('', `## ${section.title}`, '', section.intro, '', '| variable | default | meaning |', '|---|---|---|');
    for (const s of section.settings) out.push(`| \`${s.name}\` | ${s.default === undefined ? '—' : s.default === '' ? 'empty' : `\`${cell(s.default)}\``} | ${cell(s.meaning)} |`);
  }
  return out.join('\n') + '\n';
}

export function renderEnvExample(sections: readonly Section[]): string {
  const out = [
    '# Every variable of the platform, commented out at its default (generated with docs/configuration.md:',
    '# `npm run docs:config`). Copy to .env, uncomment what you change; `npm start` and docker compose read .env.',
  ];
  const seen = new Set<string>();
  for (const section of sections) {
    out.push('', `# === ${section.title} ===`);
    for (const s of section.settings) {
      // PORT, HOST, NODE_ENV… are one variable per process: listed once, under the first app.
      if (seen.has(s.name)) continue;
      seen.add(s.name);
      out.push(`# ${s.meaning}`, `# ${s.name}=${s.secret || s.default === undefined || /[$<]| /.test(s.default) ? '' : s.default}`);
    }
  }
  return out.join('\n') + '\n';
}
