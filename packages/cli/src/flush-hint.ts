/** A word the shell reads as itself: no quoting needed. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/**
 * The command that sends what a run left in the spool, with the actual folder, quoted for a POSIX shell
 * when it needs it, so it can be pasted as printed.
 *
 * @example
 * flushHint("/var/spool/flash-call"); // "run: flash-call flush --spool /var/spool/flash-call"
 * flushHint("/tmp/my spool"); // "run: flash-call flush --spool '/tmp/my spool'"
 */
export function flushHint(directory: string): string {
  const word = PLAIN_WORD.test(directory) ? directory : `'${directory.replaceAll("'", `'\\''`)}'`;
  return `run: flash-call flush --spool ${word}`;
}
