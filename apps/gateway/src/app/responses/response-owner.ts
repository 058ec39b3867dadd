/**
 * Who owns a stored response: the one caller who may continue it, read it or delete it.
 *
 * - An API key or an SSO token: its user (`user:<uuid>`), so a user's keys and their SSO
 *   sessions share their responses, and nobody else's are visible.
 * - The master key: `master`.
 * - Open mode (no master key configured): every anonymous caller is `open`, one owner. Anyone
 *   who can reach an open gateway can already spend its upstreams; response ids are 24 random
 *   bytes, so a response is reachable only by whoever was given its id.
 */
import type { Principal } from '../http/api-auth';

export function responseOwner(caller: Principal): string {
  switch (caller.kind) {
    case 'api_key':
    case 'sso':
      return `user:${caller.userId}`;
    case 'master':
      return 'master';
    case 'open':
      return 'open';
  }
}
