/**
 * Value types the apps' environment schemas share, so a port or a URL means the same thing and
 * is refused with the same words in every app (booleans, bind host and trust proxy have their
 * own modules beside this one).
 */
import { z } from 'zod';

/** A TCP port to listen on; 0 asks the system for a free one (tests). */
export function tcpPort(fallback: number) {
  return z.coerce.number().int().min(0).max(65535).default(fallback);
}

/** An absolute http(s) URL, without trailing slashes (paths are appended to it). */
export const httpUrl = z.url({ protocol: /^https?$/ }).transform(withoutTrailingSlashes);

/** Whether a value from a config file is an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function withoutTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}
