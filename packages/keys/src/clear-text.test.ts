import { describe, expect, test } from "vitest";
import { sendsKeyInClearText } from "./clear-text.js";

describe("which base URLs carry the key in clear text to another machine", () => {
  test.each([
    "http://relay.internal:8080",
    "http://10.0.0.5",
    "http://api.flashcat.cloud",
    "http://[2001:db8::1]:8080",
    "http://localhost.example.com",
    "http://127.example.com",
    "HTTP://Relay.Internal",
    // Node, Bun and Deno ask the resolver for a subdomain of localhost like any other name (glibc and musl do
    // not answer it themselves): a DNS server, or a search domain, can put it anywhere.
    "http://mock.localhost",
    "http://Evil.LocalHost.:8080",
  ])("%s: yes", (url) => {
    expect(sendsKeyInClearText(url)).toBe(true);
  });

  test.each([
    "https://api.flashcat.cloud",
    "https://relay.internal:8443",
    "http://127.0.0.1:8080",
    "http://127.1.2.3",
    "http://0x7f.0.0.1",
    "http://localhost:3000",
    "http://LOCALHOST",
    "http://localhost.:3000",
    "http://[::1]:8080",
    "not a url",
  ])("%s: no", (url) => {
    expect(sendsKeyInClearText(url)).toBe(false);
  });
});
