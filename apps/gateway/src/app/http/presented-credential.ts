/**
 * The credential a request presents, for the endpoints Anthropic-protocol clients call
 * (`/v1/messages`, and the read endpoints such as `/v1/models`): they send their key as
 * `x-api-key` (the SDKs' `apiKey`, Claude Code's `ANTHROPIC_API_KEY`) or as `Authorization:
 * Bearer` (`authToken`, `ANTHROPIC_AUTH_TOKEN`). Either is checked like any other key or token:
 * `x-api-key` is handed on as `Bearer <key>`.
 */
import type { IncomingHttpHeaders } from 'node:http';

export function presentedCredential(headers: IncomingHttpHeaders): string | undefined {
  const apiKey = headers['x-api-key'];
  const key = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  return key !== undefined && key !== '' ? `Bearer ${key}` : headers.authorization;
}
