import { Logger } from '@nestjs/common';
import { AppLogger, type LogSink } from './app-logger';
import { parseLogSettings } from './log-settings';

const at = new Date('2026-01-02T03:04:05.678Z');

/** A sink keeping the lines written to each stream. */
function capture(): LogSink & { lines: () => { out: string[]; err: string[] } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (l) => void out.push(l), err: (l) => void err.push(l), lines: () => ({ out, err }) };
}

describe('AppLogger', () => {
  it('writes text lines with time, level and context; errors to stderr', () => {
    const sink = capture();
    const logger = new AppLogger(parseLogSettings({}), 'gateway', sink, () => at);
    logger.log('listening', 'RainyModel');
    logger.warn('no key', 'RainyModel');
    logger.error('boom', 'Error: boom\n    at x', 'GatewayError');
    expect(sink.lines().out).toEqual(['03:04:05 INFO  [RainyModel] listening', '03:04:05 WARN  [RainyModel] no key']);
    expect(sink.lines().err).toEqual(['03:04:05 ERROR [GatewayError] boom\nError: boom\n    at x']);
  });

  it('LOG_FORMAT=json writes one parseable object per line, the stack a field', () => {
    const sink = capture();
    const logger = new AppLogger(parseLogSettings({ LOG_FORMAT: 'json' }), 'login', sink, () => at);
    logger.log({ answer: 42 }, 'LoginSSO');
    logger.error('boom', 'Error: boom\n    at x', 'LoginSSO');
    const [info] = sink.lines().out;
    const [error] = sink.lines().err;
    expect(info.includes('\n')).toBe(false);
    expect(error.includes('\n')).toBe(false);
    expect(JSON.parse(info)).toEqual({ time: '2026-01-02T03:04:05.678Z', level: 'info', app: 'login', context: 'LoginSSO', msg: '{"answer":42}' });
    expect(JSON.parse(error)).toMatchObject({ level: 'error', context: 'LoginSSO', msg: 'boom', stack: 'Error: boom\n    at x' });
  });

  it('drops lines below LOG_LEVEL', () => {
    const sink = capture();
    const logger = new AppLogger(parseLogSettings({ LOG_LEVEL: 'warn' }), 'status', sink, () => at);
    logger.log('info line', 'Status');
    logger.debug('debug line', 'Status');
    logger.warn('warn line', 'Status');
    logger.error('error line', undefined, 'Status');
    expect(sink.lines().out).toEqual(['03:04:05 WARN  [Status] warn line']);
    expect(sink.lines().err).toEqual(['03:04:05 ERROR [Status] error line']);
  });

  it("writes Nest's module and route-mapping lines only at LOG_LEVEL=debug", () => {
    const quiet = capture();
    const verbose = capture();
    for (const [sink, env] of [[quiet, {}], [verbose, { LOG_LEVEL: 'debug' }]] as const) {
      const logger = new AppLogger(parseLogSettings(env), 'gateway', sink, () => at);
      logger.log('Mapped {/health, GET} route', 'RouterExplorer');
      logger.log('GatewayModule dependencies initialized', 'InstanceLoader');
      logger.log('Nest application successfully started', 'NestApplication');
    }
    expect(quiet.lines().out).toEqual([]);
    expect(verbose.lines().out).toEqual([
      '03:04:05 DEBUG [RouterExplorer] Mapped {/health, GET} route',
      '03:04:05 DEBUG [InstanceLoader] GatewayModule dependencies initialized',
      '03:04:05 DEBUG [NestApplication] Nest application successfully started',
    ]);
  });

  it('receives what `new Logger(context)` logs once it is the override', () => {
    const sink = capture();
    Logger.overrideLogger(new AppLogger(parseLogSettings({ LOG_FORMAT: 'json' }), 'gateway', sink, () => at));
    try {
      new Logger('RainyModel').warn('careful');
      new Logger('RainyModel').error('failed');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(JSON.parse(sink.lines().out[0])).toMatchObject({ level: 'warn', context: 'RainyModel', msg: 'careful' });
    expect(JSON.parse(sink.lines().err[0])).toEqual({ time: at.toISOString(), level: 'error', app: 'gateway', context: 'RainyModel', msg: 'failed' });
  });

  it('prints the ready block as an indented block, or one JSON record', () => {
    const text = capture();
    const json = capture();
    const block = { title: 'RainyModel gateway', url: 'http://localhost:8080/v1', lines: ['8 of 32 deployments active', 'next: set HF_TOKEN'] };
    new AppLogger(parseLogSettings({}), 'gateway', text, () => at).ready(block);
    new AppLogger(parseLogSettings({ LOG_FORMAT: 'json' }), 'gateway', json, () => at).ready(block);
    expect(text.lines().out[0]).toBe('RainyModel gateway   http://localhost:8080/v1\n  8 of 32 deployments active\n  next: set HF_TOKEN');
    expect(JSON.parse(json.lines().out[0])).toEqual({ time: at.toISOString(), level: 'info', app: 'gateway', msg: 'ready', ...block });
  });
});

describe('parseLogSettings', () => {
  it('defaults to info and text, accepts common synonyms, refuses the unknown', () => {
    expect(parseLogSettings({})).toEqual({ level: 'info', format: 'text' });
    expect(parseLogSettings({ LOG_LEVEL: 'DEBUG', LOG_FORMAT: 'JSON' })).toEqual({ level: 'debug', format: 'json' });
    expect(parseLogSettings({ LOG_LEVEL: 'verbose' }).level).toBe('debug');
    expect(parseLogSettings({ LOG_LEVEL: 'warning' }).level).toBe('warn');
    expect(() => parseLogSettings({ LOG_LEVEL: 'toString' })).toThrow('LOG_LEVEL');
    expect(() => parseLogSettings({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL: "loud" is not one of error, warn, info, debug');
    expect(() => parseLogSettings({ LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT: "xml" is not one of text, json');
  });
});
