/**
 * A small but real OpenID Connect issuer for tests, built with `oidc-provider` itself: a
 * relying party (the status admin) goes through discovery, authorization code + PKCE, the
 * token endpoint and ID token verification exactly as against Login SSO. Sign-in has no form:
 * the interaction completes at once as `signInAs` says (role `admin`, `viewer`, …), and the
 * ID token carries the `role` and `services` claims like Login's. It also answers Login's
 * `GET /api/user/{id}/access?service=` (client Basic auth) from its accounts, which
 * `updateAccount` changes, so a test can deactivate or demote a signed-in user.
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
  /** Who the next sign-in is (also remembered as an active account). */
  signInAs(user: TestUser): void;
  /** Changes a known account as Login's admin panel would: deactivate it, change its role. */
  updateAccount(sub: string, change: { active?: boolean; role?: string }): void;
  /** Requests to the access API answered (authenticated ones). */
  readonly accessQuestions: number;
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
  const accounts = new Map<string, { role: string; active: boolean }>([[user.sub, { role: user.role, active: true }]]);
  let signIns = 0;
  let accessQuestions = 0;

  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      void finishInteraction(req, res);
      return;
    }
    if (req.url?.startsWith('/api/user/')) {
      answerAccess(req, res);
      return;
    }
    handler(req, res);
  });

  /** Login's access API, same shape and rules: 401 without the client's credentials, 404 for an unknown user. */
  function answerAccess(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://issuer');
    const match = /^\/api\/user\/([^/]+)\/access$/.exec(url.pathname);
    const expected = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
    const json = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== expected) return void json(401, { error: 'invalid_client' });
    accessQuestions++;
    const id = decodeURIComponent(match?.[1] ?? '');
    const account = accounts.get(id);
    if (!match || !account) return void json(404, { error: 'not_found' });
    const service = url.searchParams.get('service') ?? '';
    // Login's roles: admin reaches every service, others never the admin one.
    const allowed = account.active && (account.role === 'admin' || service !== 'admin');
    json(200, { user_id: id, service, role: account.role, active: account.active, allowed });
  }
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
      accounts.set(next.sub, { role: next.role, active: true });
    },
    updateAccount(sub: string, change: { active?: boolean; role?: string }) {
      const account = accounts.get(sub);
      if (!account) throw new Error(`test issuer: no account ${sub}`);
      accounts.set(sub, { ...account, ...change });
    },
    get accessQuestions() {
      return accessQuestions;
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
