/** Argon2id password hashing (PHC strings, off the event loop), and the password rules the forms enforce. */
import { randomBytes } from 'node:crypto';
import { Argon2Pool } from './argon2-pool';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 512;

let pool: Argon2Pool | undefined;
let users = 0;

/** One pool per process, started on first use. */
function argon2(): Argon2Pool {
  pool ??= new Argon2Pool();
  return pool;
}

/**
 * Each app instance in the process (tests run several) holds the pool while it runs; the
 * threads stop when the last one lets go, and start again on the next use.
 */
export function holdPasswordHashing(): () => Promise<void> {
  users += 1;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    users -= 1;
    if (users === 0) await closePasswordHashing();
  };
}

/** Stops the hashing threads now (end of a test file). */
export async function closePasswordHashing(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.close();
}

export function hashPassword(password: string): Promise<string> {
  return argon2().hash(password);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH || !hash.startsWith('$argon2')) return false;
  try {
    return await argon2().verify(hash, password);
  } catch {
    return false;
  }
}

/** What is wrong with a new password, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Passwords may have at most ${MAX_PASSWORD_LENGTH} characters.`;
  return undefined;
}

/** 24 random characters from an unambiguous alphabet, for generated and reset passwords. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(24);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
