/**
 * The status app's domain errors. Plain classes: the exception filter (`http/status-exception.filter.ts`)
 * is the one place that maps them to HTTP answers (JSON for the API, a page for browsers).
 */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Not signed in (or the session expired): browsers are sent to sign in. */
export class NotSignedInError extends Error {
  constructor(message = 'Sign in to use the admin pages.') {
    super(message);
    this.name = 'NotSignedInError';
  }
}

/** Signed in, but not allowed: a non-admin role, or a form without a valid CSRF token. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Admin sign-in can't work as configured (no client secret) or the issuer is unreachable. */
export class SignInUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInUnavailableError';
  }
}
