export { bindHost, DEFAULT_BIND_HOST } from './lib/bind-host';
export { booleanFlag } from './lib/boolean-flag';
export { httpUrl, isHttpUrl, tcpPort, withoutTrailingSlashes } from './lib/env-values';
export { trustProxy, type TrustProxy } from './lib/trust-proxy';
export { parseDatabaseConfig, checkPostgresUrl, DEFAULT_EMBEDDED_POSTGRES_DIR, DEFAULT_EMBEDDED_POSTGRES_PORT, type DatabaseConfig } from './lib/database-settings';
export { ConfigError } from './lib/config-error';
export { expandEnv, expandEnvDeep, placeholderNames, type Env } from './lib/expand-env';
export { withSeedNames } from './lib/seed-names';
export { parseYamlSource, readYamlSource, type YamlSource, type ConfigPath } from './lib/yaml-source';
export { configErrorFromIssues } from './lib/zod-issues';
export {
  loadGatewayConfig,
  gatewayEnvSchema,
  parseModelConfig,
  type GatewayConfig,
  type ModelAliasRule,
  type DeploymentSpec,
  type LiveModelConfig,
  type SsoLimit,
  type SsoLimitSettings,
  type DeploymentMode,
  type SkippedDeployment,
  type RouterSettings,
  type TierName,
  type RoutingSettings,
  type CatalogueSettings,
  type CatalogueSourceSettings,
  type CatalogueSourceKey,
  type ModelConfig,
  type ComponentWeights,
  type ProfileName,
  PROFILE_NAMES,
  CATALOGUE_SOURCE_NAMES,
} from './lib/gateway/gateway-config';
export { KNOWLEDGE_DEFAULTS, type KnowledgeSettings } from './lib/gateway/knowledge-settings';
export { ALLOW_PRIVATE_UPSTREAMS } from './lib/gateway/upstream-guard';
export { CACHE_DEFAULTS, type CacheFreshness, type ResponseCacheSettings } from './lib/gateway/cache-settings';
export { loadLoginConfig, loginEnvSchema, LOGIN_CLIENTS, type LoginConfig, type LoginClientConfig } from './lib/login/login-config';
export { setEnvVars } from './lib/set-env-vars';
export {
  DATABASE_SETTING_DOCS,
  GATEWAY_SETTING_DOCS,
  LOGGING_SETTING_DOCS,
  LOGIN_CLIENT_SETTING_DOCS,
  LOGIN_SETTING_DOCS,
  START_SETTING_DOCS,
  STATUS_SETTING_DOCS,
  YAML_SETTING_DOCS,
  type SettingDoc,
  type SettingDocs,
} from './lib/reference/setting-docs';
