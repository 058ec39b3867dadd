/** fetch with the CLI's error handling: an unreachable server or a non-2xx answer becomes a CliError. */
import { CliError, EXIT, exitCodeOfStatus } from './exit-codes';

export async function request(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? String(error)}`, EXIT.error, 'unreachable');
  }
}

/** The error text of an OpenAI-style, OAuth-style or account-API error body. */
export function errorMessageOf(body: unknown, status: number): { message: string; reason: string } {
  const b = body as { error?: unknown; error_description?: unknown; message?: unknown } | undefined;
  if (b && typeof b.error === 'object' && b.error !== null) {
    const e = b.error as { message?: unknown; code?: unknown; type?: unknown };
    return { message: String(e.message ?? `HTTP ${status}`), reason: String(e.code ?? e.type ?? 'error') };
  }
  if (b && typeof b.error === 'string') return { message: String(b.error_description ?? b.message ?? b.error), reason: b.error };
  return { message: `HTTP ${status}`, reason: 'error' };
}

export async function failure(res: Response, what: string): Promise<CliError> {
  const body: unknown = await res.json().catch(() => undefined);
  const { message, reason } = errorMessageOf(body, res.status);
  return new CliError(`${what}: ${message} (HTTP ${res.status})`, exitCodeOfStatus(res.status), reason);
}

/** A JSON answer, or the CliError for a non-2xx one. */
export async function jsonOf<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw await failure(res, what);
  return (await res.json()) as T;
}
