/**
 * One line of meaning per environment variable, per app: the text of the generated reference
 * (docs/configuration.md, .env.example). Kept beside the schemas and checked against them — a
 * schema key without a line here, or a line for a key no schema has, fails the reference test
 * (apps/platform-e2e/src/config-reference.spec.ts), so the reference cannot drift.
 *
 * `default` is given only where the default is computed in code rather than written in the
 * schema (the schema's own default is read from it).
 */
export interface SettingDoc {
  readonly meaning: string;
  readonly default?: string;
  /** Holds a secret: .env.example leaves it empty. */
  readonly secret?: boolean;
}

export type SettingDocs = Readonly<Record<string, SettingDoc>>;

export const GATEWAY_SETTING_DOCS: SettingDocs = {
  PORT: { meaning: 'port the gateway listens on (`npm start`: GATEWAY_PORT)' },
  HOST: { meaning: 'bind address; 0.0.0.0 to be reachable from other hosts (the images, docker compose and render.yaml set it)' },
  NODE_ENV: { meaning: 'production: no start without RAINYMODEL_MASTER_KEY (or RAINYMODEL_ALLOW_OPEN=true)' },
  RAINYMODEL_MASTER_KEY: { meaning: "the operator's bearer key: the whole API and the operator endpoints; empty = open (requests without a key are let in)", secret: true },
  RAINYMODEL_METRICS_KEY: { meaning: 'bearer key for /metrics and /health/upstreams only (scrapers, the status app)', secret: true },
  RAINYMODEL_ALLOW_OPEN: { meaning: 'with NODE_ENV=production and no master key, start anyway (open, logged as an error)', default: 'false' },
  RAINYMODEL_CONFIG: { meaning: 'path of the LiteLLM-shaped model YAML', default: 'LITELLM_CONFIG_PATH, else config/litellm_config.yaml' },
  LITELLM_CONFIG_PATH: { meaning: "the original RainyModel's name for RAINYMODEL_CONFIG" },
  RAINYMODEL_MAX_BODY_BYTES: { meaning: 'larger request bodies get 413' },
  RAINYMODEL_MAX_JSON_DEPTH: { meaning: 'JSON bodies nesting objects/arrays deeper get 400 json_too_deep (8-1000)' },
  RAINYMODEL_TRUST_PROXY: { meaning: 'proxies trusted for X-Forwarded-*: true (one hop), a hop count, or addresses/CIDRs', default: 'false' },
  RAINYMODEL_DEBUG: { meaning: 'log each routing decision and every failed upstream attempt', default: 'false' },
  RAINYMODEL_SSO_ISSUER: { meaning: "Login SSO's issuer URL; unset = SSO tokens are not accepted" },
  RAINYMODEL_SSO_JWKS_URL: {
    meaning: "where Login's public keys are fetched (compose: the login container); public, loopback and private addresses (plus RAINYMODEL_SSO_ALLOW_PRIVATE), never link-local or cloud metadata (169.254.169.254), checked at load and on every fetch's DNS answers",
    default: '$RAINYMODEL_SSO_ISSUER/oauth2/jwks',
  },
  RAINYMODEL_SSO_ALLOW_PRIVATE: {
    meaning: "further non-public addresses the login's keys may be fetched from, beyond loopback and private networks: addresses/CIDRs/host names (e.g. 100.64.0.0/10 for a login on a Tailscale tailnet), or true; link-local and cloud metadata stay refused unless listed; unset = none",
  },
  RAINYMODEL_AUDIENCE: { meaning: "this gateway's resource URL: the aud SSO access tokens must carry (the same value as Login's)" },
  DATABASE_URL: { meaning: 'the platform database: API keys are read from it, usage written to it; unset = neither', secret: true },
  RAINYMODEL_SSO_RPM: { meaning: 'requests per minute of each SSO-token user (429 beyond, like an API key); unset = no limit' },
  RAINYMODEL_SSO_TPM: { meaning: 'tokens per minute of each SSO-token user; unset = no limit' },
  RAINYMODEL_SSO_LIMITS_BY_ROLE: { meaning: 'per-role overrides of the SSO limits, JSON: {"viewer":{"rpm":10},"admin":{"rpm":null}} (null = no limit, a missing field = the default)' },
  RAINYMODEL_CONFIG_WATCH: { meaning: 'watch the model YAML and apply a valid edit without a restart (SIGHUP re-reads it either way)' },
  REDIS_URL: { meaning: 'shares rate-limit windows (API keys, SSO users) and circuit breaker state between replicas; unset = in memory, per replica' },
  RAINYMODEL_KEY_REFRESH_SECONDS: { meaning: 'how often the API keys are reloaded from the database' },
  RAINYMODEL_RESPONSES_TTL_DAYS: { meaning: 'how long /v1/responses keeps a stored response (store, previous_response_id, GET) before it is pruned; fractions allowed' },
  RAINYMODEL_BUDGET_MODE: { meaning: 'monthly budgets of keys and users: enforce (429 budget_exceeded) or warn (x-rainymodel-budget-warning)' },
  RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: {
    meaning: "upstreams (api_base, catalogue, knowledge agent) allowed in private, loopback and link-local ranges: true, or host names/addresses/CIDRs (e.g. ollama,10.0.0.0/8); set, it replaces the config's general_settings.allow_private_upstreams",
    default: "the config's list (shipped: localhost, 127.0.0.0/8, ::1); none without one",
  },
  KNOWLEDGE_AGENT_URL: { meaning: "knowledge agent for every alias without model_info.knowledge: POST {url}/search, passages injected as a system message (docs/knowledge-agent.md); unset = none" },
  USAGE_RAW_RETENTION_DAYS: { meaning: 'raw usage records older than this many days are deleted, in small batches, every hour (the daily roll-ups keep their sums)' },
  USAGE_ROLLUP_RETENTION_DAYS: { meaning: 'daily usage roll-ups (usage pages, CSV, budgets) older than this many days are deleted; at least 32' },
};

export const LOGIN_SETTING_DOCS: SettingDocs = {
  PORT: { meaning: 'port Login listens on (`npm start`: LOGIN_PORT)' },
  HOST: { meaning: 'bind address; 0.0.0.0 to be reachable from other hosts' },
  NODE_ENV: { meaning: 'development or production' },
  SSO_BASE_URL: { meaning: 'the issuer: every URL the provider prints starts here (the address browsers use)', default: 'http://localhost:$PORT' },
  SSO_TRUST_PROXY: { meaning: 'proxies trusted for X-Forwarded-For/-Proto (lockout addresses, https cookies): true (one hop), a hop count, or addresses/CIDRs', default: 'false' },
  SSO_ADMIN_EMAIL: { meaning: 'the first admin, created when no admin exists', default: 'admin@orcest.local' },
  SSO_ADMIN_PASSWORD: { meaning: "the first admin's password (12 characters or more); unset = generated and shown once", secret: true },
  RSA_PRIVATE_KEY: { meaning: 'PKCS#8 PEM signing key (\\n escapes accepted); unset = keys kept in the database', secret: true },
  RSA_PUBLIC_KEY: { meaning: 'accepted for symmetry; the public half is derived from RSA_PRIVATE_KEY' },
  RAINYMODEL_AUDIENCE: { meaning: "the gateway's resource URL: aud of the JWT access tokens Login issues for it" },
  SSO_CORS_ORIGINS: { meaning: "origins allowed by the provider's CORS (*. = any subdomain)" },
  SSO_ACCESS_TOKEN_TTL: { meaning: 'access token lifetime, seconds' },
  SSO_ID_TOKEN_TTL: { meaning: 'ID token lifetime, seconds' },
  SSO_REFRESH_TOKEN_TTL: { meaning: 'refresh token lifetime, seconds' },
  SSO_SESSION_TTL: { meaning: 'sign-in session lifetime, seconds' },
  SSO_LOCKOUT_ACCOUNT_FAILURES: { meaning: 'failed sign-ins to one account from one address before a lock' },
  SSO_LOCKOUT_ACCOUNT_ALL_IPS_FAILURES: { meaning: 'failed sign-ins to one account from every address together before a lock' },
  SSO_LOCKOUT_IP_FAILURES: { meaning: 'failed sign-ins from one address before a lock' },
  SSO_LOCKOUT_SECONDS: { meaning: 'how long a lock lasts, seconds' },
  SSO_KEY_REFRESH_SECONDS: { meaning: 'how often a replica re-reads the signing keys' },
  SSO_AUDIT_RETENTION_DAYS: { meaning: 'audit rows older than this are deleted' },
  SSO_MAX_BODY_BYTES: { meaning: 'larger bodies on our own routes get 413' },
};

export const STATUS_SETTING_DOCS: SettingDocs = {
  PORT: { meaning: 'port the status app listens on (`npm start`: STATUS_PORT)' },
  HOST: { meaning: 'bind address; 0.0.0.0 to be reachable from other hosts' },
  NODE_ENV: { meaning: 'development or production' },
  STATUS_CONFIG: { meaning: "path of the monitors' YAML" },
  STATUS_BASE_URL: { meaning: 'public URL: links, feed ids, the OIDC redirect, Secure cookies when https', default: 'http://localhost:$PORT' },
  STATUS_TRUST_PROXY: { meaning: 'proxies trusted for X-Forwarded-*: true (one hop), a hop count, or addresses/CIDRs', default: 'false' },
  STATUS_OIDC_ISSUER: { meaning: "Login SSO's issuer, as browsers reach it (admin sign-in)" },
  STATUS_OIDC_INTERNAL_URL: { meaning: 'where this server reaches Login when the issuer is the browser\'s address only (compose: http://login:8090)', default: 'the issuer' },
  STATUS_OIDC_CLIENT_ID: { meaning: "this app's client at Login" },
  OIDC_STATUS_SECRET: { meaning: "the status client's secret; unset = the admin is disabled", secret: true },
  STATUS_ADMIN_ROLE: { meaning: 'the role claim that may administer' },
  STATUS_SESSION_SECRET: { meaning: 'session cookie and subscription-link key, the same on every replica', default: 'derived from OIDC_STATUS_SECRET', secret: true },
  STATUS_SMTP_URL: { meaning: 'SMTP for subscriber mail: smtp://[user:password@]host[:port] or smtps://…; unset = email subscriptions off', secret: true },
  STATUS_MAIL_FROM: { meaning: 'sender of subscriber mail (a plain address)', default: 'status@<host of STATUS_BASE_URL>' },
  STATUS_ALLOW_PRIVATE_WEBHOOKS: { meaning: 'accept subscriber webhook URLs in private, loopback and link-local ranges (tests, private deployments)' },
};

/** libs/db: every app with a database reads these (the gateway only DATABASE_URL). */
export const DATABASE_SETTING_DOCS: SettingDocs = {
  DATABASE_URL: { meaning: 'PostgreSQL URL of the platform database; unset = the embedded server (Login, status, `npm start`)', secret: true },
  EMBEDDED_POSTGRES_DIR: { meaning: "the embedded server's data folder, from the working directory", default: '.data/postgres' },
  EMBEDDED_POSTGRES_PORT: { meaning: "the embedded server's port on 127.0.0.1", default: '54320' },
};

/** libs/logging: every app. */
export const LOGGING_SETTING_DOCS: SettingDocs = {
  LOG_LEVEL: { meaning: "error, warn, info or debug (debug adds Nest's module and route lines)", default: 'info' },
  LOG_FORMAT: { meaning: 'text, or json: one JSON object per line for log shippers', default: 'text' },
};

/** tools/start.mjs (`npm start`). */
export const START_SETTING_DOCS: SettingDocs = {
  GATEWAY_PORT: { meaning: "the gateway's port under npm start", default: '8080' },
  LOGIN_PORT: { meaning: "Login's port under npm start", default: '8090' },
  STATUS_PORT: { meaning: "the status app's port under npm start", default: '8070' },
};

/** Login's per-client variables, for each client of LOGIN_CLIENTS (`<CLIENT>` = its id in capitals). */
export const LOGIN_CLIENT_SETTING_DOCS: SettingDocs = {
  SECRET: { meaning: 'the client secret; unset = the client is disabled (or a secret rotated in the admin panel)', secret: true },
  REDIRECT_URIS: { meaning: 'comma-separated redirect URIs, matched exactly', default: 'https://<sub>.orcest.ai/auth/callback' },
  POST_LOGOUT_REDIRECT_URIS: { meaning: 'where end-session may send the browser back', default: "the redirect URIs' origins + /" },
};

/** Variables the shipped YAML files use, where the file's own text does not say enough. */
export const YAML_SETTING_DOCS: SettingDocs = {
  OLLAMA_BASE_URL: { meaning: "the original RainyModel's Ollama URL: the default of OLLAMA_PRIMARY_URL and OLLAMA_SECONDARY_URL" },
};
