/** `/admin/two-factor`: which roles must sign in with 2FA; resetting a user's 2FA (a lost phone and lost codes). */
import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLES } from '@orcest/auth';
import type { Role } from '@orcest/db';
import { field } from '../http/form-body';
import { sendPage } from '../http/security-headers';
import { LoginContext } from '../login-context';
import { twoFactorAdminPage } from '../pages/admin-two-factor-page';
import { UserNotFoundError } from '../users/user-errors';
import { AdminGate } from './admin-gate';

@Controller('admin')
export class AdminTwoFactorController {
  private readonly gate: AdminGate;

  constructor(@Inject(LoginContext) private readonly context: LoginContext) {
    this.gate = new AdminGate(context);
  }

  @Get('two-factor')
  show(@Query('done') done: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.asAdmin(req, reply, async (frame) => {
      const notice = done === 'saved' ? 'Saved. It applies at each user\'s next sign-in.' : done === 'reset' ? 'Two-factor sign-in reset: the user sets it up again.' : undefined;
      return sendPage(reply, 200, twoFactorAdminPage(notice ? { ...frame, notice } : frame, await this.context.twoFactor.requiredRoles()));
    });
  }

  @Post('two-factor')
  save(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.asAdminPost(req, reply, async (frame, body) => {
      for (const role of ROLES) await this.context.twoFactor.setRoleRequirement(role as Role, field(body, `require_${role}`, 5) === 'on', frame.admin.id);
      return reply.redirect('/admin/two-factor?done=saved', 303);
    });
  }

  @Post('users/:id/totp-reset')
  reset(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.gate.asAdminPost(req, reply, async (frame) => {
      const user = await this.context.users.findById(id);
      if (!user) throw new UserNotFoundError(id);
      await this.context.twoFactor.reset(user.id, frame.admin.id, req.ip);
      return reply.redirect('/admin/two-factor?done=reset', 303);
    });
  }
}
