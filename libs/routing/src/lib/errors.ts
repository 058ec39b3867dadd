import { POLICIES } from './policies';

export class UnknownPolicyError extends Error {
  constructor(readonly policy: string) {
    super(`unknown routing policy "${policy}"; valid policies: ${POLICIES.join(', ')}`);
    this.name = 'UnknownPolicyError';
  }
}
