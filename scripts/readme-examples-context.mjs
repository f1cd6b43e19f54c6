// What the README examples take as given (the reader's own code and values), declared for the type check by
// scripts/check-readme-examples.mjs. A declaration is added to a block only when the block uses the name and
// does not define it itself. Keyed by README path, then by name.
export const README_CONTEXT = {
  "packages/errors/README.md": {
    response: "declare const response: Response;",
    alertOnCall: "declare function alertOnCall(message: string): void;",
    scheduleRetry: "declare function scheduleRetry(delayMs: number | undefined): void;",
  },
  "packages/flash-call/README.md": {
    storm: 'declare const storm: import("flash-call").FlashCallEvent[];',
    dashboard: "declare const dashboard: { observe(sample: Record<string, unknown>): void };",
    event: 'declare const event: import("flash-call").FlashCallEvent;',
    keyFromVault: "declare const keyFromVault: string;",
    saveForLater: 'declare function saveForLater(event: import("flash-call").FlashCallEvent): Promise<void>;',
  },
  "packages/keys/README.md": {
    myKey: "declare const myKey: string;",
    options: "declare const options: { integrationKey?: string };",
    logLine: "declare const logLine: string;",
    flags: "declare const flags: { key?: string; baseUrl?: string };",
  },
  "packages/testing/README.md": {
    runBackupJob: "declare function runBackupJob(options: { integrationKey: string }): Promise<void>;",
    createClient: 'import { createClient } from "@flash-call/core";',
    execa: "declare function execa(file: string, args: string[]): Promise<unknown>;",
    flashduty: 'declare const flashduty: import("@flash-call/testing").MockFlashduty;',
  },
};
