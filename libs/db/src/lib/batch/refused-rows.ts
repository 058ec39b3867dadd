/**
 * Batched writers (usage records, check history, audit rows) insert many rows in one
 * statement. When PostgreSQL refuses that statement because of what one row holds (a NUL byte
 * in a text column, a value out of range, a broken constraint), retrying the same batch fails
 * forever and every other row waits behind it. `writeIsolatingRefusedRows` finds the rows the
 * database refuses by halving the batch, writes every other row, and hands the refused ones
 * back for the caller to drop with a counted, logged reason. An error that is not about the
 * rows (the database is away) is thrown as it was, so the caller keeps the batch for a retry.
 */

/** A row the database refused on its own, with its reason. */
export interface RefusedRow<T> {
  readonly row: T;
  readonly reason: string;
}

/**
 * Writes `rows` with `write`, isolating the rows PostgreSQL refuses: a batch with k refused
 * rows among n costs about k·log2(n) extra statements, and the well-formed rows all land.
 */
export async function writeIsolatingRefusedRows<T>(
  rows: readonly T[],
  write: (rows: readonly T[]) => Promise<unknown>,
): Promise<RefusedRow<T>[]> {
  if (rows.length === 0) return [];
  try {
    await write(rows);
    return [];
  } catch (error) {
    if (!isRowRefusal(error)) throw error;
    if (rows.length === 1) return [{ row: rows[0] as T, reason: refusalReason(error) }];
    const middle = Math.ceil(rows.length / 2);
    const refused = await writeIsolatingRefusedRows(rows.slice(0, middle), write);
    return refused.concat(await writeIsolatingRefusedRows(rows.slice(middle), write));
  }
}

/**
 * Whether PostgreSQL refused a statement for what its rows hold, not for being unreachable:
 * SQLSTATE class 22 (data exception: bad encoding, value out of range, too long), 23
 * (integrity constraint), 54 (a value over a program limit), or Prisma's own rejection of a
 * value before sending it.
 */
export function isRowRefusal(error: unknown): boolean {
  if (isNamed(error, 'PrismaClientValidationError')) return true;
  const state = sqlStateOf(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23') || state.startsWith('54'));
}

/** PostgreSQL's SQLSTATE, from a node-postgres error or one Prisma wrapped around it. */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // Prisma's own codes (P2010…) have the same shape as SQLSTATEs: read its driver's cause first.
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta?.driverAdapterError?.cause;
  if (typeof cause?.originalCode === 'string') return cause.originalCode;
  const direct = (error as { code?: unknown; clientVersion?: unknown }).code;
  const fromPrisma = (error as { clientVersion?: unknown }).clientVersion !== undefined;
  return !fromPrisma && typeof direct === 'string' && /^[0-9A-Z]{5}$/.test(direct) ? direct : undefined;
}

function refusalReason(error: unknown): string {
  const state = sqlStateOf(error);
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown } } } }).meta?.driverAdapterError?.cause;
  const message = typeof cause?.originalMessage === 'string' ? cause.originalMessage : (error as Error).message.split('\n').filter(Boolean).pop();
  return state ? `${state} ${message ?? ''}`.trim() : (message ?? 'refused');
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}
