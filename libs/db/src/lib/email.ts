/**
 * `users.email` holds addresses lower-cased, so its unique index is case-insensitive and a
 * lookup is an index hit: every write and every lookup goes through this.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
