/** The exit codes of `rainymodel`, documented in the README; scripts branch on them. */
export const EXIT = {
  ok: 0,
  /** Anything else: network, server error, bad answer. */
  error: 1,
  /** Bad command line: unknown command or option, missing argument. */
  usage: 2,
  /** No stored sign-in, or it expired or was revoked: run `rainymodel login`. */
  notSignedIn: 3,
  /** Signed in, but refused (role lacks RainyModel, no operator key, access denied). */
  denied: 4,
  /** The thing named does not exist (a key id). */
  notFound: 5,
  /** A limit or budget was hit (HTTP 429). */
  limited: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the command with a given exit code and a one-line message. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode,
    /** Machine-readable reason for --json output. */
    readonly reason = 'error',
  ) {
    super(message);
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage, 'usage');
}

/** Maps an HTTP status from Login or the gateway to our exit code. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 401) return EXIT.notSignedIn;
  if (status === 403) return EXIT.denied;
  if (status === 404) return EXIT.notFound;
  if (status === 429) return EXIT.limited;
  if (status === 400 || status === 422) return EXIT.usage;
  return EXIT.error;
}
