/**
 * Anthropic's error `type` for an HTTP status, as Anthropic's own API answers
 * (`{"type":"error","error":{"type","message"}}`). Its SDKs pick their exception class by status,
 * so the gateway's Anthropic routes and the fake Anthropic upstream both derive the type from
 * the status with this one table.
 */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}
