/**
 * The login app's own API (SPEC §3), for registered clients only: is this token ours and
 * valid, and may this user use that service. Never usable anonymously, so it can't be used
 * to find out who has an account.
 */
import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { isRole, roleGrantsService, SERVICES, servicesOfRole } from '@orcest/auth';
import { InvalidApiRequestError } from '../errors';
import { field, formBody } from '../http/form-body';
import { LoginContext } from '../login-context';
import { issuedBeforeCredentialChange } from '../oidc/accounts';
import { UserNotFoundError } from '../users/user-errors';
import { authenticateClient } from './client-authentication';

@Controller('api')
export class ApiController {
  constructor(@Inject(LoginContext) private readonly context: LoginContext) {}

  @Post('token/verify')
  @HttpCode(200)
  async verifyToken(@Req() req: FastifyRequest): Promise<Record<string, unknown>> {
    const clientId = await authenticateClient(req, this.context.clients);
    const token = field(formBody(req.body), 'token', 16_384);
    if (!token) throw new InvalidApiRequestError('give the JWT to verify in "token"');
    let header: { typ?: string };
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return { active: false, error: 'not a JWT' };
    }
    // Access tokens are for the gateway; an ID token only counts for the client it was issued to,
    // so one app can't replay a user's ID token to another and be taken for that user.
    // The signing keys sign other JWTs too (oidc-provider types its logout and introspection
    // JWTs): the header's `typ` names the purpose, and only the two purposes above count. ID
    // tokens carry no `typ` (or the generic `JWT`).
    const isAccessToken = header.typ === 'at+jwt';
    if (!isAccessToken && header.typ !== undefined && header.typ.toUpperCase() !== 'JWT') return { active: false, error: 'not an access token or an ID token' };
    const audience = isAccessToken ? this.context.config.gatewayAudience : clientId;
    try {
      const { payload } = await jwtVerify(token, this.context.oidc.verificationKeys(), { issuer: this.context.config.issuer, audience, algorithms: ['RS256'] });
      const user = typeof payload.sub === 'string' ? await this.context.users.findById(payload.sub) : undefined;
      if (!user || !user.active) return { active: false, error: 'the user no longer exists or is deactivated' };
      if (issuedBeforeCredentialChange(user, payload.iat)) return { active: false, error: 'issued before the user\'s password was reset' };
      return {
        active: true,
        token_type: isAccessToken ? 'access_token' : 'id_token',
        iss: payload.iss,
        sub: payload.sub,
        aud: payload.aud,
        client_id: payload['client_id'] ?? payload.azp ?? (typeof payload.aud === 'string' ? payload.aud : undefined),
        exp: payload.exp,
        iat: payload.iat,
        scope: payload['scope'],
        email: user.email,
        name: user.name,
        // Current values, not the ones frozen into the token when it was issued.
        role: user.role,
        services: isRole(user.role) ? servicesOfRole(user.role) : [],
        verified_for: clientId,
      };
    } catch (error) {
      return { active: false, error: error instanceof Error ? error.message : 'invalid token' };
    }
  }

  @Get('user/:id/access')
  async userAccess(@Param('id') id: string, @Query('service') service: unknown, @Req() req: FastifyRequest): Promise<Record<string, unknown>> {
    await authenticateClient(req, this.context.clients);
    if (typeof service !== 'string' || !(SERVICES as readonly string[]).includes(service)) {
      throw new InvalidApiRequestError(`give ?service= one of ${SERVICES.join(', ')}`);
    }
    const user = await this.context.users.findById(id);
    if (!user) throw new UserNotFoundError(id);
    const allowed = user.active && isRole(user.role) && roleGrantsService(user.role, service);
    return { user_id: user.id, service, role: user.role, active: user.active, allowed };
  }
}
