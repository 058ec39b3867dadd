/** Maps a registered client row to oidc-provider client metadata; a disabled client maps to none. */
import type { OidcClient } from '@orcest/db';

export interface ClientMetadata {
  readonly client_id: string;
  readonly client_secret?: string;
  readonly client_name: string;
  readonly redirect_uris: string[];
  readonly post_logout_redirect_uris: string[];
  readonly grant_types: string[];
  readonly response_types: string[];
  readonly token_endpoint_auth_method: string;
  readonly [key: string]: unknown;
}

export function clientMetadataOf(client: OidcClient): ClientMetadata | undefined {
  if (!client.enabled) return undefined;
  // A public client (the CLI) proves nothing at the token endpoint, so it gets only the device
  // flow, whose approval happens in the user's browser, and refresh tokens (rotated, bound to it).
  if (client.publicClient) {
    return {
      client_id: client.clientId,
      client_name: client.name,
      redirect_uris: [],
      post_logout_redirect_uris: [],
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      response_types: [],
      token_endpoint_auth_method: 'none',
      'urn:orcest:service': client.service,
      'urn:orcest:first_party': client.firstParty,
    };
  }
  // Without a secret the client would be open to anyone who knows its id: refuse it instead.
  if (!client.enabled || !client.secret) return undefined;
  return {
    client_id: client.clientId,
    client_secret: client.secret,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    // oidc-provider accepts client_secret_post as well for a client registered with basic.
    token_endpoint_auth_method: 'client_secret_basic',
    'urn:orcest:service': client.service,
    'urn:orcest:first_party': client.firstParty,
  };
}
