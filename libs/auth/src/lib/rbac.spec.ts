import { isRole, roleGrantsService, servicesOfRole } from './rbac';

describe('RBAC (seed 000 §5.3)', () => {
  it.each([
    ['admin', 'admin', true],
    ['admin', 'rm', true],
    ['developer', 'rm', true],
    ['developer', 'ide', true],
    ['developer', 'orcest', false],
    ['developer', 'admin', false],
    ['researcher', 'orcest', true],
    ['researcher', 'agent', false],
    ['viewer', 'llm', true],
    ['viewer', 'rm', false],
  ] as const)('%s → %s: %s', (role, service, granted) => {
    expect(roleGrantsService(role, service)).toBe(granted);
  });

  it('an unknown service is granted to nobody but is not a crash', () => {
    expect(roleGrantsService('admin', 'nope')).toBe(false);
  });

  it('the services claim: admin is a wildcard, others their list', () => {
    expect(servicesOfRole('admin')).toEqual(['*']);
    expect(servicesOfRole('viewer')).toEqual(['llm']);
  });

  it('recognises roles only from the closed list', () => {
    expect(isRole('developer')).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
