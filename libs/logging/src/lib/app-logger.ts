/**
 * Every app's logger: given to Nest (`NestFactory.create(…, { logger })` and
 * `Logger.overrideLogger`) so the framework's lines and our `new Logger(context)` calls all pass
 * through one level filter and one format.
 *
 * Nest's start-up chatter (a line per module and per mapped route) is written at `debug`, not
 * `info`: a first start should show what matters, and `LOG_LEVEL=debug` brings it back.
 */
import type { LoggerService } from '@nestjs/common';
import { formatLogLine, formatReadyBlock, type ReadyBlock } from './log-format';
import { LOG_LEVELS, type LogLevelName, type LogSettings } from './log-settings';

/** Where lines go; stdout/stderr by default, a buffer in tests. */
export interface LogSink {
  out(line: string): void;
  err(line: string): void;
}

const PROCESS_SINK: LogSink = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** Nest's own contexts whose `log` lines are start-up detail (modules loaded, routes mapped). */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

const SEVERITY: Readonly<Record<LogLevelName, number>> = Object.fromEntries(LOG_LEVELS.map((level, i) => [level, i])) as Record<LogLevelName, number>;

export class AppLogger implements LoggerService {
  private readonly threshold: number;

  constructor(
    private readonly settings: LogSettings,
    /** `gateway`, `login`, `status`: named in JSON records. */
    private readonly app: string,
    private readonly sink: LogSink = PROCESS_SINK,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.threshold = SEVERITY[settings.level];
  }

  enabled(level: LogLevelName): boolean {
    return SEVERITY[level] <= this.threshold;
  }

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    this.write(context !== undefined && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }

  /** Nest calls `error(message, stack?, context?)`; `new Logger(ctx).error(m)` passes `(m, undefined, ctx)`. */
  error(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    const stack = params.find((p, i) => typeof p === 'string' && !(i === params.length - 1 && p === context)) as string | undefined;
    this.write('error', message, context, stack ?? (message instanceof Error ? message.stack : undefined));
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.error(message, ...params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, contextOf(params));
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, contextOf(params));
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, contextOf(params));
  }

  /** The app's ready block (always shown: it is what a first start is for). */
  ready(block: ReadyBlock): void {
    this.sink.out(formatReadyBlock(block, this.settings.format, this.app, this.clock()));
  }

  private write(level: LogLevelName, message: unknown, context: string | undefined, stack?: string): void {
    if (!this.enabled(level)) return;
    const line = formatLogLine({ time: this.clock(), level, app: this.app, context, message: textOf(message), stack }, this.settings.format);
    if (level === 'error') this.sink.err(line);
    else this.sink.out(line);
  }
}

/** Nest appends the logger's context as the last string parameter (a stack trace has line breaks; a context has none). */
function contextOf(params: readonly unknown[]): string | undefined {
  const last = params[params.length - 1];
  return typeof last === 'string' && !last.includes('\n') ? last : undefined;
}

function textOf(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.message;
  try {
    return JSON.stringify(message) ?? String(message);
  } catch {
    return String(message);
  }
}
