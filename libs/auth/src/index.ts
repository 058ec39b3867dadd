/**
 * What every app needs to agree on about identity: the RBAC map of roles to services
 * (seed 000 §5.3). Login puts these in tokens; the gateway and status check them.
 */
export { ROLES, SERVICES, isRole, roleGrantsService, servicesOfRole, type RoleName, type ServiceName } from './lib/rbac';
