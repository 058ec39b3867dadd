/** Turns zod issues into one ConfigError naming each bad key, with its YAML line when known. */
import type { z } from 'zod';
import { ConfigError } from './config-error';
import type { ConfigPath } from './yaml-source';

export function configErrorFromIssues(
  issues: readonly z.core.$ZodIssue[],
  describe: (path: ConfigPath) => string,
): ConfigError {
  const lines = issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const key = path.length > 0 ? path.join('.') : '(root)';
    return `${describe(path)}: ${key}: ${issue.message}`;
  });
  return new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
}
