import { SsoLimits } from './sso-limits';

describe('SsoLimits', () => {
  const limits = new SsoLimits({ perUser: { rpm: 60, tpm: null }, byRole: { viewer: { rpm: 5, tpm: 1_000 }, admin: { rpm: null, tpm: null }, devloper: { rpm: 1, tpm: null } } });

  it("counts each user in a window of their own, with their role's limits or the default", () => {
    expect(limits.keyFor('u-1', 'developer')).toEqual({ id: 'sso:u-1', rpmLimit: 60, tpmLimit: null });
    expect(limits.keyFor('u-2', 'viewer')).toEqual({ id: 'sso:u-2', rpmLimit: 5, tpmLimit: 1_000 });
  });

  it('leaves a role without limits uncounted', () => {
    expect(limits.keyFor('u-3', 'admin')).toBeUndefined();
    expect(new SsoLimits({ perUser: { rpm: null, tpm: null }, byRole: {} }).keyFor('u-4', 'developer')).toBeUndefined();
  });

  it('names the roles Login does not have (a typo would never apply)', () => {
    expect(limits.unknownRoles()).toEqual(['devloper']);
  });
});
