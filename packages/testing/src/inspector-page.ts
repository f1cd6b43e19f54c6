import { createHash } from "node:crypto";
import { INSPECTOR_SCRIPT } from "./inspector-script.js";

const STYLE = `
:root{color-scheme:light dark;--bg:#f7f7f8;--fg:#1c1d21;--muted:#62646c;--card:#fff;--line:#dcdde1;--crit:#c62828;
--warn:#b26a00;--info:#1565c0;--ok:#2e7d32;--mark:#8a4b00;--markbg:#fff3df}
@media (prefers-color-scheme:dark){:root{--bg:#131417;--fg:#e6e6e9;--muted:#9a9ca5;--card:#1c1e22;--line:#33363c;
--crit:#ef7a7a;--warn:#f0b35a;--info:#7fb3ff;--ok:#7fcf86;--mark:#ffcf8a;--markbg:#3a2c17}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
header,main{max-width:72rem;margin:0 auto;padding:.75rem}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline}
h1{font-size:1.1rem;margin:0}h2{font-size:1rem;margin:1rem 0 .5rem}
code,.path,.key{font-family:ui-monospace,monospace;font-size:.85em;overflow-wrap:anywhere}
.muted,#push-url,.time,.rule{color:var(--muted)}
#connection{font-weight:600}
#filters{display:flex;flex-wrap:wrap;gap:.5rem;margin:.25rem 0}
input,select,button,a.button{font:inherit;padding:.3rem .5rem;border:1px solid var(--line);border-radius:6px;
background:var(--card);color:var(--fg);text-decoration:none}
input{flex:1 1 10rem;min-width:0}
ul,ol{list-style:none;margin:0;padding:0}
.alert,.request,.change{content-visibility:auto;contain-intrinsic-size:auto 3rem;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.5rem .75rem;
margin:.4rem 0}
.line{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
.title{font-weight:600;overflow-wrap:anywhere;white-space:pre-wrap}
.event{content-visibility:auto;contain-intrinsic-size:auto 3rem;border-top:1px dashed var(--line);padding:.4rem 0 .2rem;margin-left:.5rem}
.badge{font-size:.8em;font-weight:600;border:1px solid currentColor;border-radius:99px;padding:0 .5rem}
.Critical,.Canceled{color:var(--crit)}.Warning{color:var(--warn)}.Info,.Processing{color:var(--info)}
.Ok,.resolved,.Done{color:var(--ok)}.open{color:var(--crit)}.Planned,.Ready{color:var(--muted)}
.status-line{margin:.2rem 0}.link{overflow-wrap:anywhere}
.mark{display:inline-block;font-size:.85em;color:var(--mark);background:var(--markbg);border-radius:4px;
padding:0 .35rem;margin:.15rem .25rem 0 0;overflow-wrap:anywhere}
.description{white-space:pre-wrap;overflow-wrap:anywhere}
table.labels{border-collapse:collapse;margin:.3rem 0;display:block;overflow-x:auto;max-width:100%}
.labels th,.labels td{border:1px solid var(--line);padding:.1rem .4rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere;font-weight:normal}
.labels th{font-family:ui-monospace,monospace;color:var(--muted)}
.images{display:flex;flex-wrap:wrap;gap:.5rem}
figure{margin:0;max-width:10rem}figure img{max-width:100%;max-height:6rem;display:block}
figcaption{font-size:.8em;color:var(--muted);overflow-wrap:anywhere}
.request{display:flex;flex-wrap:wrap;gap:.25rem .75rem;padding:.3rem .6rem}
.request.bad .status{color:var(--crit);font-weight:600}
.request.ok .status{color:var(--ok);font-weight:600}
`;

/**
 * The script as served: without its indentation, a tenth of its weight. Safe because the script has no string
 * or comment that spans lines, so no leading space is ever part of a value.
 */
const SERVED_SCRIPT = INSPECTOR_SCRIPT.replace(/^ +/gm, "");

/** The script's SHA-256, for the page's Content-Security-Policy: only this exact script may run. */
const SCRIPT_HASH = createHash("sha256").update(SERVED_SCRIPT).digest("base64");

/**
 * The Content-Security-Policy the page is served with: no script but its own, no network but its own origin
 * (images may come from http(s) URLs, as an event's thumbnails do), no framing, no forms.
 */
export const INSPECTOR_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${SCRIPT_HASH}'`,
  "style-src 'unsafe-inline'",
  "img-src http: https:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The inspector's page: static HTML, the same for every server (nothing from events or the key is in it; the
 * script fills it in from the feed).
 *
 * @example outgoing.end(INSPECTOR_HTML)
 */
export const INSPECTOR_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>flash-call mock inspector</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>flash-call mock inspector</h1>
<span id="connection">connecting…</span>
<span>push URL <code id="push-url"></code></span>
<span>change push URL <code id="change-push-url"></code></span>
<span class="muted">what a Flashduty integration would receive, live</span>
</header>
<main>
<div id="filters" role="search">
<select id="filter-status" aria-label="status">
<option value="">every status</option>
<optgroup label="alerts"><option>Critical</option><option>Warning</option><option>Info</option><option>Ok</option></optgroup>
<optgroup label="changes"><option>Planned</option><option>Ready</option><option>Processing</option><option>Canceled</option>
<option>Done</option></optgroup>
<option value="rejected">rejected / faults</option>
</select>
<input id="filter-key" placeholder="alert_key or change_key contains" aria-label="alert_key or change_key">
<input id="filter-label" placeholder="label: name or name=value" aria-label="label">
<button id="clear" type="button">Clear</button>
<a id="download" class="button" href="inspector/events.ndjson" download="flash-call-mock-events.ndjson">Alerts NDJSON</a>
<a id="download-changes" class="button" href="inspector/changes.ndjson" download="flash-call-mock-changes.ndjson">Changes NDJSON</a>
</div>
<p id="omitted" class="muted"></p>
<section id="alerts"><h2>Alerts (<span id="alerts-count">0</span>)</h2><div id="alerts-list"></div></section>
<section id="changes" hidden><h2>Changes (<span id="changes-count">0</span>)</h2><div id="changes-list"></div></section>
<section id="requests"><h2>Requests (<span id="requests-count">0</span>), newest first</h2><ul id="requests-list"></ul></section>
</main>
<script>${SERVED_SCRIPT}</script>
</body>
</html>
`;
