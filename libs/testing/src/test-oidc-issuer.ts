/**
 * A small but real OpenID Connect issuer for tests, built with `oidc-provider` itself: a
 * relying party (the status admin) goes through discovery, authorization code + PKCE, the
 * token endpoint and ID token verification exactly as against Login SSO. Sign-in has no form:
 * the interaction completes at once as `signInAs` says (role `admin`, `viewer`, …), and the
 * ID token carries the `role` and `services` claims like Login's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface TestUser {
  readonly sub: string;
  readonly name: string;
  readonly email: string;
  readonly role: string;
  readonly services?: readonly string[];
}

export interface TestOidcClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
}

export interface TestOidcIssuer {
  readonly issuer: string;
  /** Who the next sign-in is. */
  signInAs(user: TestUser): void;
  /** Completed sign-ins (interactions finished). */
  readonly signIns: number;
  close(): Promise<void>;
}

/** The slice of oidc-provider's API used here (the package ships no types). */
interface Interaction {
  uid: string;
  prompt: { name: string; details: Record<string, unknown> };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}
interface GrantInstance {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: object, options?: object): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => GrantInstance;
}
type ProviderClass = new (issuer: string, configuration: object) => ProviderInstance;

export async function startTestOidcIssuer(client: TestOidcClient): Promise<TestOidcIssuer> {
  // ESM-only and untyped: loaded by name at run time, typed by the interfaces above.
  const moduleName = 'oidc-provider';
  const { default: Provider } = (await import(moduleName)) as { default: ProviderClass };
  let user: TestUser = { sub: 'admin-1', name: 'Ada Admin', email: 'ada@example.test', role: 'admin', services: ['*'] };
  let signIns = 0;

  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      void finishInteraction(req, res);
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [...client.redirectUris],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'role', 'services'], email: ['email'] },
    // Put the scope's claims in the ID token, as Login SSO does for role and services.
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, name: user.name, email: user.email, role: user.role, services: [...(user.services ?? [])] }),
    }),
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-oidc-issuer-cookie-key'] },
    ttl: { Session: 600, Interaction: 600, Grant: 600, AuthorizationCode: 60, IdToken: 600, AccessToken: 600 },
  });
  const handler = provider.callback();

  async function finishInteraction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = provider;
    try {
      const details = await p.interactionDetails(req, res);
      let result: object;
      if (details.prompt.name === 'login') {
        result = { login: { accountId: user.sub } };
      } else {
        const grant = new p.Grant({ accountId: details.session?.accountId ?? user.sub, clientId: String(details.params['client_id']) });
        grant.addOIDCScope(String(details.params['scope'] ?? 'openid'));
        result = { consent: { grantId: await grant.save() } };
        signIns++;
      }
      await p.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`test issuer: ${(error as Error).message}`);
    }
  }

  return {
    issuer,
    signInAs(next: TestUser) {
      user = next;
    },
    get signIns() {
      return signIns;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
