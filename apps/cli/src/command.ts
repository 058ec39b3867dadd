/** The shape of a subcommand: its own options (beside the global ones) and its action. */
import type { CliContext } from './context';

export interface Args {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** The usage line after `rainymodel `. */
  readonly usage: string;
  /** Option names this command accepts besides the global ones. */
  readonly options: readonly string[];
  run(ctx: CliContext, args: Args): Promise<void>;
}

export function stringOption(args: Args, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}
