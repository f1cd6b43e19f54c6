export { maskKey, redact, registerSecret } from "@flash-call/errors";
export { readEnv } from "./env.js";
export { type IdentityLabels, identityLabels } from "./identity-labels.js";
export { IntegrationKey } from "./integration-key.js";
export { clearKey, getKey, type KeyIdentity, type StoredKey, setKey } from "./key-store.js";
export { type PushUrl, parsePushUrl } from "./parse-push-url.js";
export { type KeySource, type ResolvedKey, resolveKey } from "./resolve-key.js";
