/** The variables that are set: empty strings count as unset, as in the shell (`PORT=` must not become port 0). */
import type { Env } from './expand-env';

export function setEnvVars(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}
