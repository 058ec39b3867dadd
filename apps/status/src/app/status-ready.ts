/**
 * What `npm start` shows for the status app once it listens: what it watches, where its admin
 * signs in, and what to do when the admin is not configured.
 */
import type { StatusConfig } from '@orcest/monitoring';
import type { ReadyBlock } from '@orcest/logging';

export function statusReadyBlock(config: StatusConfig, databaseDescription: string): ReadyBlock {
  const { server, monitors, gateways, oidc } = config;
  const watched = `watching ${monitors.length} components${gateways.length ? ` and the upstreams of ${gateways.length} gateway${gateways.length > 1 ? 's' : ''}` : ''} (${databaseDescription})`;
  const admin = oidc.clientSecret
    ? `admin ${server.baseUrl}/admin, signed in through Login SSO at ${oidc.issuer} (client ${oidc.clientId})`
    : 'admin disabled: set OIDC_STATUS_SECRET (the Login client `status` secret) to sign in at /admin';
  return { title: 'Status', url: server.baseUrl, lines: [watched, admin] };
}
