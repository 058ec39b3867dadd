/**
 * Who calls the account API: the user of a JWT access token Login issued for the account API's
 * resource (`aud` = <issuer>/api/account, `typ: at+jwt`, RS256, checked against our own keys),
 * while that user is active and signed in after their last credential change (a password
 * change or "sign out everywhere" ends every token issued before it, though JWTs can't be
 * deleted). Any active user may use it, whatever their role.
 */
import type { FastifyRequest } from 'fastify';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { User } from '@orcest/db';
import { InvalidTokenError } from '../errors';
import type { LoginContext } from '../login-context';
import { issuedBeforeCredentialChange } from '../oidc/accounts';
import { accountApiAudience } from './account-api-audience';

export async function accountApiUser(req: FastifyRequest, context: LoginContext): Promise<User> {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]{1,8192})$/i.exec(header) : null;
  if (!match?.[1]) throw new InvalidTokenError('send an access token: Authorization: Bearer <token>');
  const token = match[1];
  try {
    if (decodeProtectedHeader(token).typ !== 'at+jwt') throw new InvalidTokenError('not an access token');
    const { payload } = await jwtVerify(token, context.oidc.verificationKeys(), {
      issuer: context.config.issuer,
      audience: accountApiAudience(context.config.issuer),
      algorithms: ['RS256'],
      currentDate: context.clock(),
    });
    const user = typeof payload.sub === 'string' ? await context.users.findById(payload.sub) : undefined;
    if (!user || !user.active) throw new InvalidTokenError('the user no longer exists or is deactivated');
    if (issuedBeforeCredentialChange(user, payload.iat)) throw new InvalidTokenError('issued before the user signed out everywhere or changed their password');
    return user;
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    throw new InvalidTokenError(`invalid access token (${error instanceof Error ? error.message : 'unreadable'})`);
  }
}
