export { COMMANDS, type CommandLine, type CommandName, parseCommandLine } from "./args.js";
export { type BatchItem, parseBatch } from "./batch-input.js";
export { type ErrorReport, formatReport, reportError } from "./error-report.js";
export { parseEventTime } from "./event-time.js";
export { EXIT_CODES, type ExitCode, worstExitCode } from "./exit-codes.js";
export { parseImageFlag } from "./image-flag.js";
export { parseLabelFlags } from "./label-flag.js";
export { labelName } from "./label-name.js";
export {
  DEFAULT_OCP_TITLE,
  OCP_VARIABLES,
  type OcpDecision,
  type OcpEventOptions,
  ocpEvent,
} from "./ocp-event.js";
export {
  DEFAULT_LEVEL_MAP,
  DEFAULT_STATUS_MAP,
  levelMapFrom,
  type OcpLevelMap,
  type OcpStatusAction,
  type OcpStatusMap,
  statusMapFrom,
} from "./ocp-mapping.js";
export { proxyFetch, proxyFromEnvironment } from "./proxy-fetch.js";
export { type RunEnvironment, run } from "./run.js";
export {
  claimSpoolFile,
  listSpool,
  type PendingAlertKeys,
  pendingAlertKeys,
  recoverStaleClaims,
  SPOOL_FORMAT,
  type SpoolClaim,
  type SpoolEntry,
  writeSpoolEntry,
} from "./spool.js";
export { offsetFor, parseZonedTime, type WallTime, wallTimeToEpochMs } from "./time-zone.js";
export { UsageError } from "./usage-error.js";
export { VERSION } from "./version.js";
