/**
 * Child processes for the CLI's end-to-end tests: the built Login and gateway bundles started
 * on loopback (waiting for their "listening" line), and the `rainymodel` command itself run
 * through its package.json launcher, as a user or script would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = process.cwd();
export const LAUNCHER = join(ROOT, 'tools/rainymodel.mjs');

export interface RunningProcess {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startBundle(main: string, env: Record<string, string>, ready: RegExp): Promise<RunningProcess> {
  let output = '';
  const child = spawn(process.execPath, [main], { env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const started = Date.now();
  while (!ready.test(output)) {
    if (Date.now() - started > 30_000 || child.exitCode !== null) throw new Error(`${main} did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `rainymodel args…`; `onStderr` sees stderr as it comes (the login code). */
export function runCli(args: readonly string[], env: Record<string, string>, options: { stdin?: string; onStderr?: (text: string) => void } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      options.onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
