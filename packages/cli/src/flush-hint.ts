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
  return `run: flash-call flush --spool ${shellWord(directory)}`;
}

/**
 * `text` as one word a POSIX shell reads back unchanged: as it is when plain, else single-quoted.
 *
 * @example
 * shellWord("deploy-42"); // "deploy-42"
 * shellWord("Deploy v2"); // "'Deploy v2'"
 */
export function shellWord(text: string): string {
  return PLAIN_WORD.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
