// One error type for everything the user can fix: it carries the exit code the CLI returns
// (2 for usage and input errors, 1 for internal failures) and a one-sentence message.

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
