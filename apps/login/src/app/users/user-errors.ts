/** Domain errors of user management; the admin pages turn them into form messages. */
export class UserInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserInputError';
  }
}

export class UserNotFoundError extends Error {
  constructor(id: string) {
    super(`no user ${id}`);
    this.name = 'UserNotFoundError';
  }
}
