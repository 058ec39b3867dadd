/**
 * The oidc-provider configuration: paths of seed 000 §5.1, PKCE S256 for every client,
 * refresh-token rotation, JWT access tokens for the gateway (resource indicators), our pages
 * for errors and logout, and storage/keys shared through PostgreSQL.
 */
import type { LoginConfig } from '@orcest/config';
import type { PrismaClient } from '@orcest/db';
import type { Configuration, KoaContextWithOIDC, errors as OidcErrors } from 'oidc-provider';
import { accountApiAudience } from '../api/account-api-audience';
import { html } from '../http/html';
import { deviceCodeInputPage, deviceConfirmPage, deviceDonePage, deviceErrorText } from '../pages/device-pages';
import { logoutPage, messagePage, signedOutPage } from '../pages/interaction-pages';
import { accountFinder, FIRST_PARTY_METADATA, SERVICE_METADATA, userClaims } from './accounts';
import { originMatcher } from './cors';
import { OIDC_ROUTES } from './oidc-routes';
import { prismaOidcAdapterFactory } from './prisma-oidc-adapter';
import type { PrivateJwk } from './signing-keys';
import type { SessionSighting } from '../users/user-sessions';

export interface ProviderConfigInput {
  readonly config: LoginConfig;
  readonly prisma: PrismaClient;
  readonly keys: readonly PrivateJwk[];
  readonly cookieKeys: readonly string[];
  readonly errors: typeof OidcErrors;
  /** Each authorization a signed-in browser makes: who, from which device and address. */
  readonly onSessionSeen?: (seen: SessionSighting) => void;
}

function setHtml(ctx: KoaContextWithOIDC, body: string): void {
  ctx.type = 'html';
  ctx.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
  ctx.set('x-frame-options', 'DENY');
  ctx.body = body;
}

/** The per-session secret oidc-provider puts in (and checks on) its device forms. */
function xsrfOf(ctx: KoaContextWithOIDC): string {
  const state = ctx.oidc.session?.state as { secret?: unknown } | undefined;
  return typeof state?.secret === 'string' ? state.secret : '';
}

/**
 * The code page re-rendered after an error carries a fresh xsrf secret in the session. When
 * the browser came without a session (a cookie-less or forged POST), that session was never
 * saved, and the provider's final persist() would throw (a 500): save it, with its cookie, so
 * the page is a 400 with a form that works.
 */
async function keepNewSession(ctx: KoaContextWithOIDC, ttlSeconds: number, cookieOptions: { signed: boolean; httpOnly: boolean; sameSite: 'lax' }): Promise<void> {
  const session = ctx.oidc.session;
  // exp is typed as always present, but a session never saved has none yet.
  if (!session || typeof (session.exp as number | undefined) === 'number') return;
  ctx.oidc.cookies.set(ctx.oidc.provider.cookieName('session'), session.jti, cookieOptions);
  await session.save(ttlSeconds);
}

export function providerConfiguration({ config, prisma, keys, cookieKeys, errors, onSessionSeen }: ProviderConfigInput): Configuration {
  const allowedOrigin = originMatcher(config.corsOrigins);
  const gateway = config.gatewayAudience;
  const accountApi = accountApiAudience(config.issuer);
  const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax' } as const;
  return {
    adapter: prismaOidcAdapterFactory(prisma, {
      alreadyConsumed: () => new errors.InvalidGrant('grant request is invalid'),
      refusedText: () => new errors.InvalidRequest('a parameter contains a character that cannot be stored (a NUL or a lone UTF-16 surrogate)'),
    }),
    findAccount: accountFinder(prisma),
    jwks: { keys: keys.map((k) => ({ ...k })) },
    cookies: {
      keys: [...cookieKeys],
      long: cookieOptions,
      short: cookieOptions,
    },
    routes: OIDC_ROUTES,
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'role', 'services'] },
    // The ID token carries the granted claims too, so apps need no userinfo round trip for them.
    conformIdTokenClaims: false,
    extraClientMetadata: { properties: [SERVICE_METADATA, FIRST_PARTY_METADATA] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    clientBasedCORS: (_ctx, origin) => allowedOrigin(origin),
    features: {
      devInteractions: { enabled: false },
      // A client may revoke only tokens issued to it.
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      // RFC 8628 for the `rainymodel` CLI (a public client): the user enters the code on our
      // page, confirms it, then signs in through the same interaction pages (and RBAC) as at
      // any other client. The provider checks the forms' xsrf field against the session.
      deviceFlow: {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: async (ctx, _form, out, err) => {
          await keepNewSession(ctx, config.ttl.sessionSeconds, cookieOptions);
          setHtml(ctx, deviceCodeInputPage({ action: ctx.oidc.urlFor('code_verification'), xsrf: xsrfOf(ctx), userCode: (err as { userCode?: string } | undefined)?.userCode, error: deviceErrorText(err, out?.error) }));
        },
        userCodeConfirmSource: async (ctx, _form, client, _deviceInfo, userCode) => {
          setHtml(ctx, deviceConfirmPage({ action: ctx.oidc.urlFor('code_verification'), xsrf: xsrfOf(ctx), userCode, clientName: client.clientName ?? client.clientId }));
        },
        successSource: async (ctx) => setHtml(ctx, deviceDonePage(ctx.oidc.client?.clientName ?? 'The device')),
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => setHtml(ctx, logoutPage(form, ctx.oidc.client?.clientName)),
        postLogoutSuccessSource: async (ctx) => setHtml(ctx, signedOutPage()),
      },
      resourceIndicators: {
        enabled: true,
        // Every grant includes the gateway unless the client names resources (the gateway and/or
        // Login's account API); a client asks for a JWT for one of them with resource=.
        defaultResource: async () => gateway,
        useGrantedResource: async () => false,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== gateway && indicator !== accountApi) throw new errors.InvalidTarget(`unknown resource; this server issues tokens for ${gateway} and ${accountApi} only`);
          return {
            scope: 'openid email profile offline_access',
            audience: indicator,
            accessTokenTTL: config.ttl.accessTokenSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The provider's default, plus a sighting of the session for the account page's list of
    // signed-in browsers (this runs on every authorization a signed-in browser makes).
    loadExistingGrant: async (ctx) => {
      const session = ctx.oidc.session;
      if (session?.accountId && session.uid) onSessionSeen?.({ sessionUid: session.uid, userId: session.accountId, userAgent: ctx.get('user-agent') || undefined, ip: ctx.ip });
      const clientId = ctx.oidc.client?.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId ?? (clientId ? session?.grantIdFor(clientId) : undefined);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    extraTokenClaims: async (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const user = await prisma.user.findUnique({ where: { id: token.accountId } });
      if (!user) return undefined;
      const { email, role, services } = userClaims(user);
      return { email, role, services };
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: config.ttl.accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: config.ttl.idTokenSeconds,
      RefreshToken: config.ttl.refreshTokenSeconds,
      Interaction: 60 * 60,
      Session: config.ttl.sessionSeconds,
      // A grant must outlive every refresh token issued under it, or refresh dies early.
      Grant: Math.max(config.ttl.refreshTokenSeconds, config.ttl.sessionSeconds),
    },
    renderError: async (ctx, out) => {
      setHtml(
        ctx,
        messagePage({
          title: 'Sign-in error',
          message: out.error_description ?? 'The request could not be completed.',
          detail: out.error,
          action: html`<p class="muted">Go back to the app you came from and try again.</p>`,
        }),
      );
    },
  };
}
