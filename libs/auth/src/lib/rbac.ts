/**
 * Roles and the services each one reaches. `admin` reaches every service, including `admin`
 * itself (the status admin and the login admin panel); the others get a fixed list.
 */
export const ROLES = ['admin', 'developer', 'researcher', 'viewer'] as const;
export type RoleName = (typeof ROLES)[number];

/** rm = RainyModel (the gateway), llm = Lamino, agent = Maestrist, ide = Orcide, orcest = the landing app. */
export const SERVICES = ['rm', 'llm', 'agent', 'ide', 'orcest', 'admin'] as const;
export type ServiceName = (typeof SERVICES)[number];

const GRANTS: Readonly<Record<RoleName, readonly ServiceName[]>> = Object.freeze({
  admin: SERVICES,
  developer: ['rm', 'llm', 'agent', 'ide'],
  researcher: ['rm', 'llm', 'orcest'],
  viewer: ['llm'],
});

export function isRole(value: unknown): value is RoleName {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The `services` claim: admin's is `["*"]`, as seed 000 writes it, so new services need no token change. */
export function servicesOfRole(role: RoleName): readonly string[] {
  return role === 'admin' ? ['*'] : GRANTS[role];
}

export function roleGrantsService(role: RoleName, service: string): boolean {
  return (GRANTS[role] as readonly string[]).includes(service);
}
