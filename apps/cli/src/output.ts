/**
 * What the CLI prints: JSON for scripts (`--json`: one document on stdout, errors as
 * `{"error":...}` on stderr), or text for people, coloured only when the stream is a terminal
 * and NO_COLOR is unset (https://no-color.org), so pipes and files get plain text.
 */
import type { Writable } from 'node:stream';

export interface Output {
  readonly json: boolean;
  /** A result: JSON document, or the text for people. */
  result(data: unknown, text: () => string): void;
  /** Progress and hints for people; silent with --json (stdout stays one document). */
  info(text: string): void;
  error(message: string, reason: string): void;
  readonly color: Colors;
  readonly stdout: Writable;
}

export interface Colors {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

function colors(enabled: boolean): Colors {
  const wrap = (open: number, close: number) => (text: string) => (enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39) };
}

export function createOutput(json: boolean, env: NodeJS.ProcessEnv = process.env): Output {
  const stdout = process.stdout;
  const stderr = process.stderr;
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  const color = colors(!noColor && stdout.isTTY === true);
  const errColor = colors(!noColor && stderr.isTTY === true);
  return {
    json,
    color,
    stdout,
    result: (data, text) => {
      stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
    },
    info: (text) => {
      if (!json) stderr.write(`${text}\n`);
    },
    error: (message, reason) => {
      stderr.write(json ? `${JSON.stringify({ error: reason, message })}\n` : `${errColor.red('error:')} ${message}\n`);
    },
  };
}

/** A plain aligned table (no borders), for terminals of any width. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '(none)';
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
