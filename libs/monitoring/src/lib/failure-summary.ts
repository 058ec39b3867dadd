/**
 * What a failed check may say in public. The status page, its JSON, the Atom feed and the
 * webhooks are read by anyone, so they say *what* failed in plain words ("HTTP 503",
 * "timeout", "connection refused", "DNS failure", "condition failed: [RESPONSE_TIME] < 500")
 * and never echo what the target or the network stack said: error messages carry internal
 * addresses and ports, bodies carry whatever the target chose to send. The raw detail is kept
 * for the admin view only.
 */

/** Node / undici error codes, by what a reader of the status page needs to know. */
const CONNECTION_FAILURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^ECONNREFUSED$/, 'connection refused'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME|EAI_NODATA)$/, 'DNS failure'],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|ABORT_ERR)$/, 'timeout'],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/, 'connection reset'],
  [/^(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN)$/, 'host unreachable'],
  [/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/, 'TLS error'],
];

/** A connection-level failure in plain words, from the error's code (never its message). */
export function connectionFailureSummary(code: string | undefined, timedOut: boolean): string {
  if (timedOut) return 'timeout';
  if (code) for (const [pattern, words] of CONNECTION_FAILURES) if (pattern.test(code)) return words;
  return 'connection failed';
}

/**
 * A failed condition in plain words: an HTTP status condition says the status, any other
 * names the condition as configured (not the value seen, which comes from the target), unless
 * the condition itself names an address.
 */
export function conditionFailureSummary(conditionText: string, httpStatus: number | undefined, prefix = 'condition failed'): string {
  if (/^\s*\[STATUS\]/.test(conditionText) && httpStatus !== undefined) return `HTTP ${httpStatus}`;
  if (namesAnAddress(conditionText)) return prefix;
  return `${prefix}: ${conditionText}`;
}

/** A URL, an IPv4 or IPv6 address, or a host:port in `text`. */
export function namesAnAddress(text: string): boolean {
  return /[a-z][a-z0-9+.-]*:\/\//i.test(text) || /\b\d{1,3}(\.\d{1,3}){3}\b/.test(text) || /\[?[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}\]?/i.test(text) || /[a-z0-9-]\.?:\d{2,5}\b/i.test(text) || /\blocalhost\b/i.test(text);
}

/** A short word the gateway uses as a failure reason (`upstream_error`, `timeout`); anything else is not repeated. */
export function safeReason(value: unknown): string | undefined {
  return typeof value === 'string' && /^[a-z][a-z0-9_]{0,39}$/.test(value) ? value.replace(/_/g, ' ') : undefined;
}
