/**
 * The `rainymodel` command run through its package.json launcher, as a user or script would,
 * for the CLI's end-to-end tests (the built apps it talks to start with @orcest/testing's
 * startBuiltApp).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = process.cwd();
export const LAUNCHER = join(ROOT, 'tools/rainymodel.mjs');

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
