/**
 * The shape of one log line, pure so it is unit-tested without a process: `text` for a
 * terminal (`12:04:05 WARN  [RainyModel] message`), `json` for log shippers (one object per
 * line, no newline inside: stack traces are a field, not extra lines).
 */
import type { LogFormat, LogLevelName } from './log-settings';

export interface LogRecord {
  readonly time: Date;
  readonly level: LogLevelName;
  /** Which app wrote it (`gateway`, `login`, `status`), so merged streams stay readable. */
  readonly app: string;
  /** Nest's logger context: the component that logged (`RainyModel`, `InstanceLoader`…). */
  readonly context?: string;
  readonly message: string;
  readonly stack?: string;
  /** Structured fields of a JSON record (the ready block's URL and lines). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

export function formatLogLine(record: LogRecord, format: LogFormat): string {
  if (format === 'json') {
    return JSON.stringify({
      time: record.time.toISOString(),
      level: record.level,
      app: record.app,
      ...(record.context ? { context: record.context } : {}),
      msg: record.message,
      ...(record.stack ? { stack: record.stack } : {}),
      ...record.fields,
    });
  }
  const clock = record.time.toISOString().slice(11, 19);
  const level = record.level.toUpperCase().padEnd(5);
  const context = record.context ? `[${record.context}] ` : '';
  return `${clock} ${level} ${context}${record.message}${record.stack ? `\n${record.stack}` : ''}`;
}

/** What an app says once it listens: who it is, where, what is configured, what to do next. */
export interface ReadyBlock {
  /** `RainyModel gateway`, `Login SSO`, `Status`. */
  readonly title: string;
  readonly url: string;
  /** One line each, shortest first: what runs, then what to do next. */
  readonly lines: readonly string[];
}

/**
 * The block as a person reads it in `npm start`'s output: a title line with the URL, then the
 * lines indented under it. In JSON it is one record (`msg: "ready"`) carrying the same facts.
 */
export function formatReadyBlock(block: ReadyBlock, format: LogFormat, app: string, time: Date): string {
  if (format === 'json') return formatLogLine({ time, level: 'info', app, message: 'ready', fields: { title: block.title, url: block.url, lines: block.lines } }, 'json');
  return [`${block.title.padEnd(20)} ${block.url}`, ...block.lines.map((line) => `  ${line}`)].join('\n');
}
