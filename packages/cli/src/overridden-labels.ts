/**
 * The `--label` flags of a batch that an event's own label of the same name, with another value, overrode (the
 * event's own labels win, as documented): counted as the batch is read, then said once, so that a flag given
 * and not sent for some events is not dropped without a word. Names only: a label's value may be anything.
 *
 * @example
 * const overridden = new OverriddenLabels({ env: "prod" });
 * overridden.note({ env: "staging" });
 * overridden.message(); // "--label env was not sent with 1 event: its own env label has another value, and an event's own labels win"
 */
export class OverriddenLabels {
  readonly #extra: Record<string, string>;
  readonly #names = new Set<string>();
  #events = 0;

  /** @param extra the `--label` flags, as parseLabelFlags gave them */
  constructor(extra: Record<string, string>) {
    this.#extra = extra;
  }

  /** Notes which flags `labels` (one event's own, a plain object) gives another value. */
  note(labels: Record<string, unknown>): void {
    let overridden = false;
    for (const name of Object.keys(this.#extra)) {
      if (Object.hasOwn(labels, name) && labels[name] !== this.#extra[name]) {
        this.#names.add(name);
        overridden = true;
      }
    }
    if (overridden) this.#events += 1;
  }

  /** The one warning of the batch, or `undefined` when no flag was overridden. */
  message(): string | undefined {
    if (this.#events === 0) return undefined;
    const names = [...this.#names];
    const events = `${this.#events} event${this.#events === 1 ? "" : "s"}`;
    return names.length === 1
      ? `--label ${names[0]} was not sent with ${events}: its own ${names[0]} label has another value, and an event's own labels win`
      : `--label ${names.join(", ")} were not sent with ${events}: their own labels of those names have other values, and an event's own labels win`;
  }
}
