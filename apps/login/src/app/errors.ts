/** Domain errors of the login app's own API; mapped to HTTP in http/login-error-mapper.ts only. */
export class InvalidClientError extends Error {
  constructor(message = 'client authentication failed') {
    super(message);
    this.name = 'InvalidClientError';
  }
}

export class InvalidApiRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidApiRequestError';
  }
}

/** A missing, expired or foreign bearer token on the account API (RFC 6750 `invalid_token`). */
export class InvalidTokenError extends Error {
  constructor(message = 'a valid access token for the account API is required') {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** Something of the caller's that does not exist — or is another user's, which looks the same. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
