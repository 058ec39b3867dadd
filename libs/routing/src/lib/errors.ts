import { clientExcerpt } from './client-excerpt';
import { POLICIES } from './policies';
import { PROFILES } from './intelligence/profiles';

export class UnknownPolicyError extends Error {
  constructor(readonly policy: string) {
    super(`unknown routing policy "${clientExcerpt(policy)}"; valid policies: ${POLICIES.join(', ')}`);
    this.name = 'UnknownPolicyError';
  }
}

export class UnknownProfileError extends Error {
  constructor(readonly profile: string) {
    super(`unknown routing profile "${clientExcerpt(profile)}"; valid profiles: ${PROFILES.join(', ')}`);
    this.name = 'UnknownProfileError';
  }
}
