import { describe, expect, test } from "vitest";
import { maskKey } from "./mask-key.js";
import { redact, registerSecret, secretRegistryState } from "./secret-registry.js";

/** Every piece of 8 code units of a key: none may survive redaction. */
function pieces(key: string): string[] {
  return Array.from({ length: key.length - 7 }, (_, at) => key.slice(at, at + 8));
}

function expectNoPiece(text: string, key: string): void {
  for (const piece of pieces(key)) expect(text).not.toContain(piece);
}

describe("redact", () => {
  test("masks registered secrets, raw and URL-encoded", () => {
    const secret = "registry+test/key=0001";
    registerSecret(secret);
    const text = `raw ${secret} encoded ${encodeURIComponent(secret)} twice ${secret}`;
    const mask = maskKey(secret);
    expect(redact(text)).toBe(`raw ${mask} encoded ${mask} twice ${mask}`);
  });

  test("masks the longer of two overlapping secrets whole", () => {
    registerSecret("overlap-0123456789");
    registerSecret("overlap-0123456789-and-more");
    const text = redact("k=overlap-0123456789-and-more");
    expect(text).not.toContain("0123");
    expect(text).not.toContain("and-more");
  });

  test("masks any piece of 8 or more characters of a key: cut short, or straddling a cut", () => {
    const key = "straddle-0123456789abcdefghij";
    registerSecret(key);
    expect(redact(`echo: ${key.slice(0, 12)}`)).toBe(`echo: ${maskKey(key)}`);
    expect(redact(`${key.slice(-9)} was cut`)).toBe(`${maskKey(key)} was cut`);
    expect(redact(`mid ${key.slice(5, 13)} end`)).toBe(`mid ${maskKey(key)} end`);
    // Seven characters tell too little to mask without garbling ordinary words.
    expect(redact(`short ${key.slice(0, 7)}`)).toBe(`short ${key.slice(0, 7)}`);
  });

  test("masks every percent-encoded form: encodeURIComponent, form encoding, lower, upper and mixed hex", () => {
    const key = "en+c/o=d%e&d #k?e-é😀-0123";
    registerSecret(key);
    const component = encodeURIComponent(key);
    const form = new URLSearchParams({ k: key }).toString().slice(2);
    const mixed = component.replace(/%([0-9A-F]{2})/g, (_, hex: string, at: number) =>
      at % 2 === 0 ? `%${hex.toLowerCase()}` : `%${hex}`,
    );
    for (const encoded of [component, component.toLowerCase(), form, form.toLowerCase(), mixed]) {
      const text = redact(`q=${encoded}&x=1`);
      expect(text).toBe(`q=${maskKey(key)}&x=1`);
      expectNoPiece(text, key);
    }
  });

  test("masks a key in JSON that was not parsed, as JSON.stringify or an ASCII-only encoder wrote it", () => {
    const key = 'js"on\\key<&>-ключ-0123456789';
    registerSecret(key);
    const ascii = JSON.stringify(key)
      .slice(1, -1)
      .replace(/[^\x20-\x7e]|[<>&]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`);
    for (const body of [`{"a":${JSON.stringify(key).slice(0, -1)}`, `{"a":"${ascii}`]) {
      expect(redact(body)).toBe(`{"a":"${maskKey(key)}`);
    }
  });

  test("masks a form-encoded key in a text with no % (the one scan of both tables)", () => {
    const key = "alpha bravo charlie delta 0042";
    registerSecret(key);
    const form = new URLSearchParams({ k: key }).toString().slice(2);
    expect(form).not.toContain("%");
    expect(redact(`sent ${form} back`)).toBe(`sent ${maskKey(key)} back`);
    // Cut short and glued to other text, as a server's echo may be.
    expect(redact(`x=${form.slice(3, 14)}&y=1`)).toBe(`x=${maskKey(key)}&y=1`);
    // The same text with an escape elsewhere takes the two scans, with the same answer.
    expect(redact(`sent ${form} back %2f`)).toBe(`sent ${maskKey(key)} back %2f`);
  });

  test("a piece that is one key raw and another form-encoded gets the raw key's mask, with or without a %", () => {
    const raw = "tango+uniform+victor-0042";
    const spaced = "tango uniform victor-0042";
    registerSecret(raw);
    registerSecret(spaced);
    expect(maskKey(raw)).not.toBe(maskKey(spaced));
    expect(redact(`a ${raw} b`)).toBe(`a ${maskKey(raw)} b`);
    expect(redact(`a ${raw} b %41`)).toBe(`a ${maskKey(raw)} b %41`);
  });

  test("masks a key lower-cased (a URL's host), with + read as a space, or HTML-escaped", () => {
    const key = "HtMl+Key&<q>\"'-0123456789";
    registerSecret(key);
    const escaped = key
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
    for (const form of [key.toLowerCase(), key.replaceAll("+", " "), escaped]) {
      expect(redact(`<p>${form}</p>`)).toBe(`<p>${maskKey(key)}</p>`);
    }
  });

  test("masks a key in base64 or URL-safe base64, wherever it starts in a group of three (a Basic header echoed)", () => {
    const key = "b64+registry/test-key-0007";
    registerSecret(key);
    const mask = maskKey(key);
    for (const before of ["", "u", "us", "user:", "user:x", "user:xy"]) {
      for (const after of ["", ":", ":pw"]) {
        const encoded = Buffer.from(`${before}${key}${after}`).toString("base64");
        for (const written of [encoded, encoded.replaceAll("+", "-").replaceAll("/", "_")]) {
          const shown = redact(`Authorization: Basic ${written}`);
          expect(shown).toContain(mask);
          // What is left of the encoding holds at most the groups shared with the text around the key.
          expect(shown.length).toBeLessThan(`Authorization: Basic ${written}`.length);
          const keyOnly = Buffer.from(key).toString("base64");
          for (let at = 4; at + 8 <= keyOnly.length - 4; at++)
            expect(shown).not.toContain(keyOnly.slice(at, at + 8));
        }
      }
    }
    // Base64 of other text is left as it is.
    const other = Buffer.from("another secret-free text of some length").toString("base64");
    expect(redact(other)).toBe(other);
  });

  test("never throws on a key holding a lone surrogate, and still masks it", () => {
    const key = "lone-\ud800-surrogate-key";
    expect(() => registerSecret(key)).not.toThrow();
    expectNoPiece(redact(`x ${key} y`), key);
  });

  test("is linear: a 1 MB text full of near-misses of a 5000-character key", () => {
    const key = `${"n".repeat(4990)}0123456789`;
    registerSecret(key);
    const text = `${"n".repeat(7)}x`.repeat(131_072);
    const started = performance.now();
    expect(redact(text)).toBe(text);
    // Generous: this takes tens of ms; a per-key regex or a quadratic scan would take seconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("scrubs integration_key values it was never told about", () => {
    expect(redact("https://h/p?integration_key=unregistered")).toBe("https://h/p?integration_key=***");
  });

  test("ignores an empty secret, and masks a short one whole where it stands as a word of its own", () => {
    registerSecret("");
    registerSecret("Sev7nX");
    expect(redact("")).toBe("");
    expect(redact("key Sev7nX rejected")).toBe("key **** rejected");
    expect(redact('{"key":"sev7nx"}')).toBe('{"key":"****"}');
    expect(redact("?k=%53%65%76%37%6e%58&x")).toBe("?k=****&x");
    expect(redact("SEV7NX")).toBe("****");
    expect(redact('{"message":"rejected key:\\nSev7nX\\tsev7nx"}')).toBe(
      '{"message":"rejected key:\\n****\\t****"}',
    );
    // Inside a longer word it is not the key, and masking it would garble unrelated text.
    expect(redact("unchanged sev7nxth xsev7nx sev7nx_1")).toBe("unchanged sev7nxth xsev7nx sev7nx_1");
  });

  test("a secret of 1 to 5 characters is not masked: it would garble words and numbers of every message", () => {
    registerSecret("1");
    registerSecret("test");
    expect(redact('test alert: {"event_time":1,"count":1}')).toBe('test alert: {"event_time":1,"count":1}');
  });

  test("a string with whitespace (no key has any) is masked as written, its words not in every case", () => {
    const placeholder = "paste your integration key here";
    registerSecret(placeholder);
    registerSecret("a b");
    expect(redact(`got ${placeholder}`)).toBe(`got ${maskKey(placeholder)}`);
    expect(redact("FLASHDUTY_INTEGRATION_KEY is malformed")).toBe("FLASHDUTY_INTEGRATION_KEY is malformed");
    expect(redact("a b c")).toBe("a b c");
  });

  test("a long text redacted again after a secret was registered is masked anew", () => {
    const later = "between-two-long-redacts-0007";
    const text = `${"filler ".repeat(200)}${later.toUpperCase()}`;
    expect(redact(text)).toBe(text);
    registerSecret(later);
    expect(redact(text)).toBe(`${"filler ".repeat(200)}${maskKey(later)}`);
  });

  describe("masks a key echoed in a form no encoder of ours writes", () => {
    const key = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    const encodeEvery = (text: string, encodeUnit: (unit: number) => string) =>
      Array.from(text, (character) => encodeUnit(character.charCodeAt(0))).join("");
    const forms: Array<[string, string]> = [
      ["upper-cased", key.toUpperCase()],
      ["in mixed case", Array.from(key, (c, i) => (i % 2 ? c.toUpperCase() : c)).join("")],
      ["with every byte percent-encoded", encodeEvery(key, (u) => `%${u.toString(16)}`)],
      [
        "with every byte percent-encoded, upper hex",
        encodeEvery(key, (u) => `%${u.toString(16).toUpperCase()}`),
      ],
      ["as decimal HTML references", encodeEvery(key, (u) => `&#${u};`)],
      ["as hex HTML references without ;", encodeEvery(key, (u) => `&#x${u.toString(16)}`)],
      ["as \\u escapes", encodeEvery(key, (u) => `\\u${u.toString(16).padStart(4, "0")}`)],
      ["as \\x escapes", encodeEvery(key, (u) => `\\x${u.toString(16)}`)],
      ["as \\u{} escapes, upper-cased", encodeEvery(key.toUpperCase(), (u) => `\\u{${u.toString(16)}}`)],
      ["percent-encoded twice", encodeEvery(key, (u) => `%25${u.toString(16)}`)],
      ["as \\u escapes, percent-encoded", encodeEvery(key, (u) => `%5Cu${u.toString(16).padStart(4, "0")}`)],
      ["as HTML references with leading zeros", encodeEvery(key, (u) => `&#x0000000${u.toString(16)};`)],
      ["as decimal references with leading zeros", encodeEvery(key, (u) => `&#00000000${u};`)],
      ["as \\u{} escapes with leading zeros", encodeEvery(key, (u) => `\\u{0000000${u.toString(16)}}`)],
      ["as upper-case named and numeric references", encodeEvery(key, (u) => `&AMP;#${u};`)],
      ["as JSON escaped twice", encodeEvery(key, (u) => `\\\\u${u.toString(16).padStart(4, "0")}`)],
      [
        "with escapes mixed",
        `${key.slice(0, 10)}%${key.charCodeAt(10).toString(16)}&#${key.charCodeAt(11)};${key.slice(12).toUpperCase()}`,
      ],
    ];
    test.each(forms)("%s", (_, form) => {
      registerSecret(key);
      const text = `before ${form} after`;
      expect(redact(text)).toBe(`before ${maskKey(key)} after`);
      // Cut short, it is still masked: no 8 characters of it in a row survive.
      const cut = `x ${form.slice(0, Math.ceil(form.length / 2))}`;
      expect(redact(cut)).not.toBe(cut);
    });

    test("a key with characters that need escaping: its lower-cased encodings and UTF-8 bytes", () => {
      const special = "Key+With/Slash=Eq&Ünï%code☃long1234";
      registerSecret(special);
      for (const form of [
        encodeURIComponent(special).toLowerCase(),
        encodeURIComponent(special).toUpperCase(),
        special.toUpperCase(),
        Array.from(new TextEncoder().encode(special), (byte) => `%${byte.toString(16)}`).join(""),
      ]) {
        expect(redact(`[${form}]`)).toBe(`[${maskKey(special)}]`);
      }
    });

    test("a key of letters whose upper case lower-cases to other letters (µ, ı, ſ, ς)", () => {
      const letters = "µıſςµıſςµıſς";
      registerSecret(letters);
      expect(redact(`k=${letters.toUpperCase()};`)).toBe(`k=${maskKey(letters)};`);
    });

    test("leaves a text that only looks like escapes, and text near the key, alone", () => {
      registerSecret(key);
      const text = "100% &#; &#xZZ; \\u12 \\q %zz %C3 &amp a1b2c3d \\u{110000} &#1114112;";
      expect(redact(text)).toBe(text);
    });
  });

  test("an older copy's secret, which it gave no folded pieces, is masked upper-cased too", () => {
    const key = "prior-version-lower-0005";
    // What an older copy's registerSecret does: the secret and its pieces into the shared maps, nothing else.
    const shared = (
      globalThis as Record<symbol, { raw: Map<string, string>; starts: Uint8Array; secrets: Set<string> }>
    )[Symbol.for("flash-call.secrets.windows")];
    shared?.secrets.add(key);
    for (let at = 0; at + 8 <= key.length; at++) shared?.raw.set(key.slice(at, at + 8), maskKey(key));
    expect(redact(`echo ${key.toUpperCase()}`)).toBe(`echo ${maskKey(key)}`);
    registerSecret("brand-new-secret-xyz-0006");
    expect(redact("ECHO BRAND-NEW-SECRET-XYZ-0006")).toBe(`ECHO ${maskKey("brand-new-secret-xyz-0006")}`);
  });

  test("stays linear on a megabyte of escapes nested as deep as it decodes, and near-misses of them", () => {
    const key = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    registerSecret(key);
    const nested = "%252525".repeat(50_000);
    expect(redact(nested)).toBe(nested);
    const misses = "&#x3;%e2%82\\u00&#99999999\\u{FFFFFFF}%F4%90%80%80".repeat(20_000);
    expect(redact(misses)).toBe(misses);
    const hidden = `${"%2530".repeat(100_000)}${Array.from(key, (c) => `%2525${c.charCodeAt(0).toString(16)}`).join("")}`;
    expect(redact(hidden).endsWith(maskKey(key))).toBe(true);
  });

  test("is shared by every copy of the package", async () => {
    const { vi } = await import("vitest");
    vi.resetModules();
    const copy = await import("./secret-registry.js");
    copy.registerSecret("shared-between-copies-0001");
    expect(redact("shared-between-copies-0001")).toBe(maskKey("shared-between-copies-0001"));
  });

  test("masks pieces another copy of the package added without the filter this copy reads", () => {
    const key = "older-copy-added-this-0002";
    expect(redact(`echo ${key}`)).toBe(`echo ${key}`);
    // What an older copy's registerSecret does: pieces into the shared maps, and no filter kept.
    const shared = (globalThis as Record<symbol, { raw: Map<string, string>; starts: Uint8Array }>)[
      Symbol.for("flash-call.secrets.windows")
    ];
    for (let at = 0; at + 8 <= key.length; at++) {
      shared?.raw.set(key.slice(at, at + 8), maskKey(key));
      if (shared) shared.starts[key.charCodeAt(at)] = 1;
    }
    expect(redact(`echo ${key}`)).toBe(`echo ${maskKey(key)}`);
  });

  test("masks pieces an older copy added before this copy registered another secret", () => {
    const older = "older-copy-then-this-0003";
    const newer = "this-copy-after-older-0004";
    const shared = (globalThis as Record<symbol, { raw: Map<string, string>; starts: Uint8Array }>)[
      Symbol.for("flash-call.secrets.windows")
    ];
    for (let at = 0; at + 8 <= older.length; at++) {
      shared?.raw.set(older.slice(at, at + 8), maskKey(older));
      if (shared) shared.starts[older.charCodeAt(at)] = 1;
    }
    registerSecret(newer);
    expect(redact(`echo ${older} ${newer}`)).toBe(`echo ${maskKey(older)} ${maskKey(newer)}`);
    const newest = "registered-after-a-redact-0005";
    registerSecret(newest);
    expect(redact(`echo ${newest.slice(3, 14)}`)).toBe(`echo ${maskKey(newest)}`);
  });
});

describe("redact with thousands of keys", () => {
  /** A key of 32 hex digits made from `seed`, different in every piece from its neighbours'. */
  const keyOf = (seed: number) =>
    Array.from({ length: 4 }, (_, part) =>
      (Math.imul(seed * 4 + part + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, "0"),
    ).join("");

  test("masks every key and only keys, and its filter grows so that a text's windows mostly miss it", () => {
    const keys = Array.from({ length: 3000 }, (_, seed) => keyOf(seed));
    const probes = [0, 1, 1499, 2999].map((index) => keys[index] as string);
    // Registered in two halves with a redact between: the filter is built, then must grow with the second half.
    for (const key of keys.slice(0, 1500)) registerSecret(key);
    expect(redact(`first ${probes[0]}`)).toBe(`first ${maskKey(probes[0] as string)}`);
    for (const key of keys.slice(1500)) registerSecret(key);
    for (const key of probes) {
      expect(redact(`echo ${key}.`)).toBe(`echo ${maskKey(key)}.`);
      expectNoPiece(redact(`cut ${key.slice(5, 19)} here`), key);
    }
    const clean = "request_id=0e5f-not-a-key data.alert_key=disk-full-on-db-1 host=db-1.eu";
    expect(redact(clean)).toBe(clean);

    // A text of 20,000 random characters is looked up in the maps only where a window hits the filter: with the
    // fixed 65,536 slots of before, 75,000 pieces set most slots and nearly every window was looked up.
    const shared = (globalThis as Record<symbol, { raw: Map<string, string>; escaped: Map<string, string> }>)[
      Symbol.for("flash-call.secrets.windows")
    ];
    let lookups = 0;
    for (const pieces of [shared?.raw, shared?.escaped]) {
      const get = pieces?.get.bind(pieces);
      if (pieces && get) {
        pieces.get = (piece: string) => {
          lookups++;
          return get(piece);
        };
      }
    }
    let seed = 7;
    const random = Array.from({ length: 20_000 }, () => {
      seed = Math.imul(seed, 0x41c64e6d) + 12345;
      return "0123456789abcdefghij-_."[(seed >>> 16) % 23];
    }).join("");
    try {
      expect(redact(random)).toBe(random);
    } finally {
      for (const pieces of [shared?.raw, shared?.escaped]) if (pieces) Reflect.deleteProperty(pieces, "get");
    }
    expect(lookups).toBeLessThan(20_000 / 16);
  });

  test("a registry replaced on globalThis is filtered anew, even when it holds as many pieces as the one before", async () => {
    const { vi } = await import("vitest");
    vi.resetModules();
    const copy = await import("./secret-registry.js");
    const slot = Symbol.for("flash-call.secrets.windows");
    const holder = globalThis as Record<symbol, unknown>;
    const kept = holder[slot];
    try {
      Reflect.deleteProperty(holder, slot);
      copy.registerSecret("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
      expect(copy.redact("x 0f1e2d3c4b5a69788796a5b4c3d2e1f0")).toBe(
        `x ${maskKey("0f1e2d3c4b5a69788796a5b4c3d2e1f0")}`,
      );
      // Another registry with a key of the same shape: the same number of pieces, none of them the first key's.
      Reflect.deleteProperty(holder, slot);
      copy.registerSecret("9a8b7c6d5e4f30211203f4e5d6c7b8a9");
      expect(copy.redact("x 9a8b7c6d5e4f30211203f4e5d6c7b8a9")).toBe(
        `x ${maskKey("9a8b7c6d5e4f30211203f4e5d6c7b8a9")}`,
      );
    } finally {
      holder[slot] = kept;
    }
  });

  test("never writes the filter fields an older layout of the registry keeps, so such a copy stays right", () => {
    const shared = (globalThis as Record<symbol, Record<string, unknown>>)[
      Symbol.for("flash-call.secrets.windows")
    ];
    const olderFilter = new Uint8Array(65_536);
    if (shared) {
      shared.filter = olderFilter;
      shared.filtered = 1;
    }
    registerSecret("zq9-unrelated-layout-probe-7731");
    expect(redact("x zq9-unrelated-layout-probe-7731")).toBe(
      `x ${maskKey("zq9-unrelated-layout-probe-7731")}`,
    );
    expect(shared?.filter).toBe(olderFilter);
    expect(shared?.filtered).toBe(1);
    expect(olderFilter.every((slot) => slot === 0)).toBe(true);
  });
});

describe("secretRegistryState", () => {
  test("the same token while nothing is added, a new one once a secret is", () => {
    const before = secretRegistryState();
    expect(secretRegistryState()).toBe(before);
    registerSecret("stateTokenKeyAsdfGhjkLqwertyUiop");
    const after = secretRegistryState();
    expect(after).not.toBe(before);
    expect(secretRegistryState()).toBe(after);
    // A secret registered again adds nothing.
    registerSecret("stateTokenKeyAsdfGhjkLqwertyUiop");
    expect(secretRegistryState()).toBe(after);
  });
});
