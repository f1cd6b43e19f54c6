// Entry for the browser: served same-origin by the gateway; reports to /control/report (a page has no stdout).
import * as sdk from "flash-call";
import { runProbe } from "./probe.js";

const config = JSON.parse(document.getElementById("config").textContent);
const pushUrl = `${location.origin}${config.pushPath}`;
const controlUrl = `${location.origin}/control`;
let result;
try {
  result = await runProbe({ sdk, runtime: config.runtime, pushUrl, controlUrl });
} catch (error) {
  result = { ok: false, checks: [{ name: "probe ran", ok: false, detail: String(error) }] };
}
await fetch(`${controlUrl}/report`, {
  method: "POST",
  body: JSON.stringify({ ...result, userAgent: navigator.userAgent }),
});
document.title = result.ok ? "PASS" : "FAIL";
