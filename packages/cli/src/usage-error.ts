/**
 * A mistake on the command line or in the input (exit code 2, nothing sent). Its message is shown as is,
 * followed by a pointer to `--help` for the command.
 *
 * @example
 * throw new UsageError("--label needs key=value, got \"team\"");
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The command whose `--help` the message points to, when known. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
