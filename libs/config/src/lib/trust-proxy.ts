/**
 * Which proxies in front of an app are trusted for `X-Forwarded-For/-Proto`, with one meaning
 * in every app (`RAINYMODEL_TRUST_PROXY`, `SSO_TRUST_PROXY`, `STATUS_TRUST_PROXY`): `true` is
 * one hop (the load balancer in front), never "every hop", which would let a client choose its
 * own address by sending X-Forwarded-For; a number is that many hops; addresses or CIDRs
 * (comma-separated) name the proxies. Fastify takes each form as is.
 */
import { z } from 'zod';

/** `false`: the TCP peer is the client. A number: hops. A string: the proxies' addresses/CIDRs. */
export type TrustProxy = false | number | string;

export const trustProxy = z
  .string()
  .optional()
  .transform((v, ctx): TrustProxy => {
    if (v === undefined || ['0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
    if (['true', 'yes', 'on'].includes(v.toLowerCase())) return 1;
    if (/^\d+$/.test(v)) return Number(v);
    if (/^[0-9a-fA-F.:/, ]+$/.test(v)) return v;
    ctx.addIssue({ code: 'custom', message: 'expected false, true (one hop), a hop count, or comma-separated proxy addresses/CIDRs' });
    return false;
  });
