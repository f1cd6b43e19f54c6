import { ownProperty } from "./own-property.js";

/** An event's labels, as read or as prepared: a plain object of names to values. */
type Labelled = { readonly labels?: unknown };

/** The labels of `event` when they are an object of names to values (JSON makes no other kind). */
function labelsOf(event: Labelled): Readonly<Record<string, unknown>> | undefined {
  const { labels } = event;
  return typeof labels === "object" && labels !== null && !Array.isArray(labels)
    ? (labels as Record<string, unknown>)
    : undefined;
}

/**
 * The `--label` flags of a batch that an event's own label of the same name, with another value, overrode (the
 * event's own labels win, as documented): counted as the batch's valid events are prepared, then said once, so that
 * a flag given and not sent for some events is not dropped without a word. An event the SDK refuses is not sent at
 * all, so it is not noted. Names only: a label's value may be anything.
 *
 * @example
 * const overridden = new OverriddenLabels({ env: "prod" });
 * overridden.note({ labels: { env: "staging" } }, { labels: { env: "staging" } });
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

  /**
   * Notes which flags one valid event overrode: `given` is the event as read, `sent` the same event as the SDK
   * prepared it. A value is compared as Flashduty receives it, the text sent: a number or boolean label is sent as
   * its text (8080 as "8080"), so it overrides a flag only when that text differs; and a value over Flashduty's
   * limit is sent cut, so a label given exactly as the flag is not another value either.
   */
  note(given: Labelled, sent: Labelled): void {
    const own = labelsOf(given);
    if (own === undefined) return;
    const sentLabels = labelsOf(sent) ?? {};
    let overridden = false;
    for (const name of Object.keys(this.#extra)) {
      if (!Object.hasOwn(own, name)) continue;
      const flag = this.#extra[name];
      if (ownProperty(own, name) === flag || ownProperty(sentLabels, name) === flag) continue;
      this.#names.add(name);
      overridden = true;
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
