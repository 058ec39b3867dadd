/**
 * LOG_LEVEL and LOG_FORMAT, the same two variables in every app. Parsed here so the apps and
 * their config loaders share one meaning; an unknown value stops the start rather than
 * silently logging everything (or nothing).
 */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogSettings {
  /** The least severe level written: `info` writes info, warn and error. */
  readonly level: LogLevelName;
  readonly format: LogFormat;
}

export class LogSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogSettingsError';
  }
}

/** Other spellings people bring from other tools, read as ours. */
const LEVEL_SYNONYMS: ReadonlyMap<string, LogLevelName> = new Map([
  ['log', 'info'],
  ['warning', 'warn'],
  ['verbose', 'debug'],
  ['trace', 'debug'],
  ['fatal', 'error'],
]);

export function parseLogSettings(env: Readonly<Record<string, string | undefined>>): LogSettings {
  return { level: parseLevel(env.LOG_LEVEL), format: parseFormat(env.LOG_FORMAT) };
}

function parseLevel(raw: string | undefined): LogLevelName {
  const value = raw?.trim().toLowerCase();
  if (!value) return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevelName;
  const synonym = LEVEL_SYNONYMS.get(value);
  if (synonym) return synonym;
  throw new LogSettingsError(`LOG_LEVEL: "${raw}" is not one of ${LOG_LEVELS.join(', ')}`);
}

function parseFormat(raw: string | undefined): LogFormat {
  const value = raw?.trim().toLowerCase();
  if (!value) return 'text';
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw new LogSettingsError(`LOG_FORMAT: "${raw}" is not one of ${LOG_FORMATS.join(', ')}`);
}
