/**
 * One-time recovery codes for two-factor sign-in: ten at a time, `xxxxx-xxxxx` from a
 * 32-letter alphabet without look-alikes (50 random bits each; guessing is bounded by the
 * second-factor lockout), shown once, stored as SHA-256. A code is spent atomically
 * (`UPDATE … WHERE used_at IS NULL`): of two parallel uses exactly one wins.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Prisma, PrismaClient } from '@orcest/db';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function normalise(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

function hash(code: string): string {
  return createHash('sha256').update(normalise(code)).digest('hex');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{10}$/.test(normalise(code));
}

export function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const letters = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${letters.slice(0, 5)}-${letters.slice(5)}`;
}

/** Replaces the user's codes with ten new ones and returns them (shown once). */
export async function replaceRecoveryCodes(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hash(c) })) });
  return codes;
}

export async function spendRecoveryCode(prisma: PrismaClient, userId: string, code: string, at: Date): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  const { count } = await prisma.recoveryCode.updateMany({ where: { userId, codeHash: hash(code), usedAt: null }, data: { usedAt: at } });
  return count > 0;
}

export function recoveryCodesLeft(prisma: PrismaClient, userId: string): Promise<number> {
  return prisma.recoveryCode.count({ where: { userId, usedAt: null } });
}
