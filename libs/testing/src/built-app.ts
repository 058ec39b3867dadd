/**
 * A built app (`dist/apps/<app>/main.js`, what `npm start` and the images run) as a child
 * process: its output kept, waited on by pattern (event-driven, no polling), stopped with
 * SIGTERM. `npm test` builds before jest runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface BuiltApp {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far, in arrival order. */
  output(): string;
  /** Resolves with the output once it matches `pattern`; rejects if the process exits first or `timeoutMs` passes. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  readonly exit: Promise<number | null>;
  stop(): Promise<void>;
}

export function builtAppMain(app: string, root = process.cwd()): string {
  return join(root, 'dist/apps', app, 'main.js');
}

/**
 * The gateway's allowance for the tests' upstreams: every fake listens on the loopback. Given to
 * every built app unless `env` sets the variable (`''` falls back to the config's own list, as
 * the shipped config's first start does).
 */
export const LOOPBACK_UPSTREAMS_ALLOWANCE = '127.0.0.0/8,::1';

/** Starts `main` (a built bundle or any Node script) with only `env` (plus PATH and the loopback allowance): no variable of the test's leaks in. */
export function startBuiltApp(main: string, env: Record<string, string>, options: { cwd?: string; args?: readonly string[] } = {}): BuiltApp {
  let output = '';
  const listeners = new Set<() => void>();
  const child = spawn(process.execPath, [main, ...(options.args ?? [])], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', RAINYMODEL_ALLOW_PRIVATE_UPSTREAMS: LOOPBACK_UPSTREAMS_ALLOWANCE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const append = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
      for (const listener of listeners) listener();
    }),
  );
  return {
    child,
    output: () => output,
    exit,
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(output)) finish(() => resolve(output));
          else if (child.exitCode !== null || child.signalCode !== null) finish(() => reject(new Error(`${main} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`${main} did not print ${pattern} within ${timeoutMs} ms:\n${output}`))), timeoutMs);
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}
