/**
 * What every app needs to agree on about identity: the RBAC map of roles to services
 * (seed 000 §5.3), and the access-token contract: login issues tokens, the gateway verifies them.
 */
export { ROLES, SERVICES, isRole, roleGrantsService, servicesOfRole, type RoleName, type ServiceName } from './lib/rbac';
export {
  AccessTokenVerifier,
  InsufficientRoleError,
  InvalidAccessTokenError,
  TokenVerificationUnavailableError,
  looksLikeJwt,
  type AccessTokenVerifierOptions,
  type VerifiedAccessToken,
} from './lib/access-token';
export { API_KEY_PREFIX, generateApiKey, hashApiKey, looksLikeApiKey, type NewApiKey } from './lib/api-key';
