export { bindHost, DEFAULT_BIND_HOST } from './lib/bind-host';
export { ConfigError } from './lib/config-error';
export { expandEnv, expandEnvDeep, type Env } from './lib/expand-env';
export { parseYamlSource, readYamlSource, type YamlSource, type ConfigPath } from './lib/yaml-source';
export { configErrorFromIssues } from './lib/zod-issues';
export {
  loadGatewayConfig,
  parseModelConfig,
  type GatewayConfig,
  type DeploymentSpec,
  type SkippedDeployment,
  type RouterSettings,
  type TierName,
  type RoutingSettings,
  type CatalogueSettings,
  type CatalogueSourceSettings,
  type CatalogueSourceKey,
  type ComponentWeights,
  type ProfileName,
  PROFILE_NAMES,
  CATALOGUE_SOURCE_NAMES,
} from './lib/gateway/gateway-config';
export { loadLoginConfig, LOGIN_CLIENTS, type LoginConfig, type LoginClientConfig } from './lib/login/login-config';
export { setEnvVars } from './lib/set-env-vars';
