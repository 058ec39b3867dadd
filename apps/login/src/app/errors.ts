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
