// The secret registry and the mask live in @flash-call/errors, the lowest package, because every error message is
// redacted there; they are re-exported here, beside the keys they protect, and defined nowhere else.
export { maskKey, redact, registerSecret } from "@flash-call/errors";
export { sendsKeyInClearText } from "./clear-text.js";
export { readEnv } from "./env.js";
export { KEY_VARIABLES, registerEnvironmentKeys } from "./environment-keys.js";
export { type IdentityLabels, identityLabels } from "./identity-labels.js";
export { IntegrationKey, isUrlGivenAsKey } from "./integration-key.js";
export { clearKey, getKey, type KeyIdentity, type StoredKey, setKey } from "./key-store.js";
export { type PushEndpoint, type PushUrl, parsePushUrl } from "./parse-push-url.js";
export {
  type Destination,
  type DestinationLevel,
  type DestinationSettings,
  type DestinationSource,
  type DestinationSources,
  destinationLevel,
  resolveDestination,
  type SettingNames,
} from "./resolve-destination.js";
export { type KeySource, type ResolvedKey, resolveKey } from "./resolve-key.js";
export { withoutTrailingSlashes } from "./trailing-slashes.js";
export { checkUrlLength, MAX_URL_LENGTH } from "./url-length.js";
