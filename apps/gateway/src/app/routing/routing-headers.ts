/**
 * The headers that explain a routing decision: `x-rainymodel-complexity` on every routed
 * answer, and with a profile `x-rainymodel-profile` and `x-rainymodel-ranking`. Set on the
 * reply before the walk, so a 502/504 after trying every deployment carries them too (the reply
 * keeps its headers on the error path, and `commit` writes them with a success).
 */
import type { ModelReply, ModelRequest } from '../http/model-exchange';
import { parseProfile, type Profile } from '@orcest/routing';
import type { RoutePlan } from './route-planner';

export function setRoutingHeaders(reply: ModelReply, plan: RoutePlan): void {
  reply.header('x-rainymodel-complexity', plan.complexity);
  if (plan.profile !== undefined) reply.header('x-rainymodel-profile', plan.profile);
  if (plan.ranking !== undefined) reply.header('x-rainymodel-ranking', headerSafe(plan.ranking));
}

/** `X-RainyModel-Profile`, else `?profile=`; unknown → UnknownProfileError (400 listing the valid ones). */
export function requestedProfile(req: ModelRequest): Profile | undefined {
  const header = req.headers['x-rainymodel-profile'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader !== undefined && fromHeader.trim() !== '') return parseProfile(fromHeader);
  const fromQuery = req.query['profile'];
  return typeof fromQuery === 'string' ? parseProfile(fromQuery) : undefined;
}

/** Deployment names come from the config and may hold anything; header values must be visible ASCII. */
function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : value.replace(/[^\x20-\x7e]/g, '?');
}
