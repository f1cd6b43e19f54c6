// Entry for workerd (through miniflare): a module worker that runs the probe for one POSTed configuration.
import * as sdk from "flash-call";
import { runProbe } from "./probe.js";

export default {
  async fetch(request) {
    const config = await request.json();
    const result = await runProbe({ sdk, ...config });
    return Response.json({ ...result, userAgent: globalThis.navigator?.userAgent ?? "unknown" });
  },
};
