/**
 * How every app of the platform logs: one logger (Nest's LoggerService) honouring LOG_LEVEL and
 * LOG_FORMAT, plain lines for people or one JSON object per line for log shippers, and the
 * short "ready" block each app prints when it has started.
 */
export { parseLogSettings, LogSettingsError, LOG_LEVELS, LOG_FORMATS, type LogSettings, type LogLevelName, type LogFormat } from './lib/log-settings';
export { formatLogLine, formatReadyBlock, type LogRecord, type ReadyBlock } from './lib/log-format';
export { AppLogger, type LogSink } from './lib/app-logger';
