/**
 * `rainymodel <command> [options]`: parses the command line (node:util parseArgs, strict, so a
 * typo is exit 2 rather than ignored), runs the command, and turns every failure into a
 * one-line message and a documented exit code (exit-codes.ts).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command } from './command';
import { login, logout, whoami } from './commands/auth';
import { chat, health, models, upstreams } from './commands/gateway';
import { keys, usage } from './commands/account';
import { CliContext, settingsOf } from './context';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { createOutput } from './output';

const COMMANDS: readonly Command[] = [login, logout, whoami, models, chat, keys, usage, upstreams, health];

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  gateway: { type: 'string' },
  login: { type: 'string' },
  all: { type: 'boolean' },
  model: { type: 'string', short: 'm' },
  policy: { type: 'string' },
  profile: { type: 'string' },
  system: { type: 'string', short: 's' },
  name: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  budget: { type: 'string' },
  expires: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  by: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const GLOBAL_OPTIONS = new Set(['json', 'help', 'gateway', 'login']);

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'rainymodel: the Orcest RainyModel gateway from the terminal',
    '',
    'usage: rainymodel <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options for every command:',
    '  --json           machine-readable output on stdout (errors as JSON on stderr)',
    '  --gateway URL    the gateway (env RAINYMODEL_URL, default https://rm.orcest.ai)',
    '  --login URL      Login (env RAINYMODEL_LOGIN_URL, default https://login.orcest.ai)',
    '  -h, --help       this text, or a command\'s usage: rainymodel <command> --help',
    '',
    'exit codes: 0 ok, 1 error, 2 bad usage, 3 not signed in, 4 denied, 5 not found, 6 rate or budget limit',
  ].join('\n');
}

/** Runs the CLI; answers the exit code (the caller sets it, so tests can run this in-process). */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const wantsJson = argv.includes('--json');
  const out = createOutput(wantsJson, env);
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw new CliError(`${(error as Error).message}\nrun \`rainymodel --help\` for usage`, EXIT.usage, 'usage');
    }
    const [name, ...positionals] = parsed.positionals;
    if (!name) {
      if (parsed.values.help) {
        process.stdout.write(`${helpText()}\n`);
        return EXIT.ok;
      }
      throw new CliError(`no command given\n\n${helpText()}`, EXIT.usage, 'usage');
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new CliError(`unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`, EXIT.usage, 'usage');
    if (parsed.values.help) {
      process.stdout.write(`usage: rainymodel ${command.usage}\n\n${command.summary}\n`);
      return EXIT.ok;
    }
    const stray = Object.keys(parsed.values).filter((k) => !GLOBAL_OPTIONS.has(k) && !command.options.includes(k));
    if (stray.length) throw new CliError(`${command.name} does not take --${stray.join(', --')}\nusage: rainymodel ${command.usage}`, EXIT.usage, 'usage');
    const ctx = new CliContext(settingsOf(parsed.values, env), out, env);
    await command.run(ctx, { positionals, values: parsed.values });
    return (process.exitCode as ExitCode | undefined) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) {
      out.error(error.message, error.reason);
      return error.code;
    }
    out.error(`unexpected: ${(error as Error).stack ?? String(error)}`, 'internal');
    return EXIT.error;
  }
}
