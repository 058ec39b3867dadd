/**
 * Users: creation, role changes, deactivation and password resets, each written to the audit
 * log. Deactivating a user also deletes every session, grant and token of theirs, so they are
 * signed out everywhere at once rather than when their tokens expire.
 *
 * The last active admin can't be demoted or deactivated. Checking "is there another admin?"
 * and then writing would let two admins demote each other at the same moment (each sees the
 * other, both writes land, nobody is left), so a change that may remove an admin runs in one
 * transaction holding the row locks of every active admin (see `changeAdmins`).
 */
import { isUuid, normalizeEmail, type Prisma, type PrismaClient, type Role, type User } from '@orcest/db';
import { isRole } from '@orcest/auth';
import type { AuditLog, Page } from '../audit/audit-log';
import type { LoginThrottle } from './login-throttle';
import { parseBudget } from './api-keys';
import { generatePassword, hashPassword, passwordProblem } from './passwords';
import { revokeEverythingOf } from './revoke-sessions';
import { UserInputError, UserNotFoundError } from './user-errors';

export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly password: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export class UserDirectory {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditLog,
    private readonly throttle: LoginThrottle,
  ) {}

  /** `id` may come from a URL: what is not a uuid is no user, and is not looked up. */
  async findById(id: string): Promise<User | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.prisma.user.findUnique({ where: { id } })) ?? undefined;
  }

  async findByEmail(email: string): Promise<User | undefined> {
    return (await this.prisma.user.findUnique({ where: { email: normalizeEmail(email) } })) ?? undefined;
  }

  async list(page: number, pageSize: number, query?: string): Promise<Page<User>> {
    const where = query ? { OR: [{ email: { contains: query.toLowerCase() } }, { name: { contains: query, mode: 'insensitive' as const } }] } : {};
    const [items, total] = await Promise.all([
      this.prisma.user.findMany({ where, orderBy: { createdAt: 'asc' }, skip: (page - 1) * pageSize, take: pageSize }),
      this.prisma.user.count({ where }),
    ]);
    return { items, page, pageSize, total };
  }

  async create(input: NewUser, actor: string): Promise<User> {
    const email = normalizeEmail(input.email);
    const name = input.name.trim();
    if (!EMAIL.test(email) || email.length > 254) throw new UserInputError('Enter a valid email address.');
    if (!name || name.length > 200) throw new UserInputError('Enter a name (at most 200 characters).');
    if (!isRole(input.role)) throw new UserInputError('Choose one of the roles.');
    const problem = passwordProblem(input.password);
    if (problem) throw new UserInputError(problem);
    if (await this.findByEmail(email)) throw new UserInputError(`A user with the email ${email} already exists.`);
    const user = await this.prisma.user.create({
      data: { email, name, role: input.role as Role, passwordHash: await hashPassword(input.password) },
    });
    await this.audit.record({ action: 'user.created', actor, subject: user.id, detail: { email, role: user.role } });
    return user;
  }

  async changeRole(id: string, role: string, actor: string): Promise<User> {
    if (!isRole(role)) throw new UserInputError('Choose one of the roles.');
    const { before, user } = await this.changeAdmins(id, async (tx, before) => {
      if (before.role === 'admin' && role !== 'admin') await this.assertAnotherActiveAdmin(tx, id);
      return tx.user.update({ where: { id }, data: { role: role as Role } });
    });
    await this.audit.record({ action: 'user.role_changed', actor, subject: id, detail: { email: user.email, from: before.role, to: role } });
    return user;
  }

  /** The user's monthly budget in USD over all their keys (empty: none); the gateway applies it within one key reload. */
  async setMonthlyBudget(id: string, value: string | undefined, actor: string): Promise<User> {
    const monthlyBudgetUsd = parseBudget(value);
    if (!(await this.findById(id))) throw new UserNotFoundError(id);
    const user = await this.prisma.user.update({ where: { id }, data: { monthlyBudgetUsd } });
    await this.audit.record({ action: 'user.budget_changed', actor, subject: id, detail: { email: user.email, monthlyBudgetUsd } });
    return user;
  }

  async setActive(id: string, active: boolean, actor: string): Promise<User> {
    const { user } = await this.changeAdmins(id, async (tx, before) => {
      if (!active && before.role === 'admin' && before.active) await this.assertAnotherActiveAdmin(tx, id);
      return tx.user.update({ where: { id }, data: active ? { active } : { active, credentialsChangedAt: new Date() } });
    });
    if (!active) await this.revokeEverything(id);
    else await this.throttle.clearAccount(user.email);
    await this.audit.record({ action: active ? 'user.activated' : 'user.deactivated', actor, subject: id, detail: { email: user.email } });
    return user;
  }

  /** Sets a new password (generated when none is given) and returns it to show once. */
  async resetPassword(id: string, actor: string, password = generatePassword()): Promise<string> {
    const problem = passwordProblem(password);
    if (problem) throw new UserInputError(problem);
    const user = await this.require(id);
    // The cut-off first: anything issued before it is refused from now on, even what is in flight.
    await this.prisma.user.update({ where: { id }, data: { passwordHash: await hashPassword(password), credentialsChangedAt: new Date() } });
    await this.revokeEverything(id);
    await this.throttle.clearAccount(user.email);
    await this.audit.record({ action: 'user.password_reset', actor, subject: id, detail: { email: user.email } });
    return password;
  }

  /** Every session, grant, code and token of the user, on every replica at once (see revoke-sessions.ts). */
  private revokeEverything(id: string): Promise<void> {
    return revokeEverythingOf(this.prisma, id);
  }

  private async require(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new UserNotFoundError(id);
    return user;
  }

  /**
   * Runs a change of user `id` in one transaction that first locks the rows of every active
   * admin (in id order, so two such transactions never deadlock) and then re-reads the user.
   * A concurrent change that demoted or deactivated an admin has committed before the lock is
   * granted, and PostgreSQL re-checks a locked row against the query, so what `change` sees
   * is the current set of admins, which nobody else can shrink until this commits.
   */
  private async changeAdmins(id: string, change: (tx: Prisma.TransactionClient, before: User) => Promise<User>): Promise<{ before: User; user: User }> {
    if (!isUuid(id)) throw new UserNotFoundError(id);
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`;
      const before = await tx.user.findUnique({ where: { id } });
      if (!before) throw new UserNotFoundError(id);
      return { before, user: await change(tx, before) };
    });
  }

  /** Nobody may remove the last way into the admin panel. */
  private async assertAnotherActiveAdmin(tx: Prisma.TransactionClient, id: string): Promise<void> {
    const others = await tx.user.count({ where: { role: 'admin', active: true, id: { not: id } } });
    if (others === 0) throw new UserInputError('This is the last active admin: make another user admin first.');
  }
}
