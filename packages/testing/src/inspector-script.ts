/**
 * The inspector page's script, run by the browser (plain ES2020, no build step, no library). It listens to the
 * feed with `EventSource` and draws everything with `textContent`: event data is attacker-controlled (titles,
 * labels, links) and never reaches `innerHTML`. Kept in a string so the package ships it inside its bundle.
 *
 * @example `<script>${INSPECTOR_SCRIPT}</script>`
 */
export const INSPECTOR_SCRIPT = `
"use strict";
(function () {
  var MAX_SHOWN = 1000;
  var entries = [];
  var scheduled = false;
  var drawCost = 0;
  var byId = function (id) { return document.getElementById(id); };
  var filters = { status: "", key: "", label: "" };

  function node(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = String(text);
    return made;
  }
  function safeUrl(text) {
    try {
      var url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
    } catch (error) {
      return undefined;
    }
  }
  // Invisible characters in a key spelled out: two keys must not look alike.
  var INVISIBLE = /[\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\ufff9-\\ufffb]/g;
  function shownKey(key) {
    return String(key).replace(INVISIBLE, function (found) {
      return "⟨U+" + found.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0") + "⟩";
    });
  }
  function when(ms) {
    var date = new Date(ms);
    return date.toLocaleString() + " · " + date.toISOString().replace("T", " ").replace(".000Z", "Z") + " UTC";
  }
  function labelMatches(labels) {
    var wanted = filters.label;
    if (!wanted) return true;
    if (!labels) return false;
    var equals = wanted.indexOf("=");
    var name = equals < 0 ? wanted : wanted.slice(0, equals);
    if (!Object.prototype.hasOwnProperty.call(labels, name)) return false;
    return equals < 0 || labels[name] === wanted.slice(equals + 1);
  }
  // What a filter reads of an accepted push, alert or change alike.
  function facts(entry) {
    if (entry.event) return { status: entry.event.event_status, key: entry.event.alert_key, labels: entry.event.labels };
    if (entry.change) return { status: entry.change.change_status, key: entry.change.change_key, labels: entry.change.labels };
    return undefined;
  }
  function keep(entry) {
    var accepted = facts(entry);
    if (filters.status === "rejected") {
      if (accepted) return false;
    } else if (filters.status && (!accepted || accepted.status !== filters.status)) {
      return false;
    }
    if (filters.key && (!accepted || accepted.key.indexOf(filters.key) < 0)) return false;
    if (filters.label && (!accepted || !labelMatches(accepted.labels))) return false;
    return true;
  }
  function anchor(href, text) {
    var link = node("a", "", text);
    link.href = href;
    link.rel = "noopener noreferrer";
    link.target = "_blank";
    return link;
  }

  function titleBlock(rendered, rule) {
    var block = node("div", "title-block");
    block.appendChild(node("span", "title", rendered.text));
    if (rendered.form === "unrendered") {
      block.appendChild(node("span", "mark unrendered", "not rendered: " + rendered.reason));
    } else if (rendered.text !== rule) {
      block.appendChild(node("div", "rule", "title_rule: " + rule));
    }
    return block;
  }
  function labelTable(labels) {
    var table = node("table", "labels");
    Object.keys(labels).forEach(function (name) {
      var row = node("tr");
      row.appendChild(node("th", "", name));
      row.appendChild(node("td", "", labels[name]));
      table.appendChild(row);
    });
    return table;
  }
  function images(list) {
    var box = node("div", "images");
    list.forEach(function (image) {
      var figure = node("figure");
      var src = safeUrl(image.src);
      if (src) {
        var picture = node("img");
        picture.src = src;
        picture.alt = image.alt || "";
        picture.loading = "lazy";
        picture.referrerPolicy = "no-referrer";
        figure.appendChild(picture);
      }
      // bdi: a bidi control in the alt must not reorder the src.
      var caption = node("figcaption");
      caption.append(node("bdi", "", image.alt || "(no alt)"), " · ", node("bdi", "", image.src));
      var href = image.href && safeUrl(image.href);
      if (href) caption.appendChild(anchor(href, " link"));
      figure.appendChild(caption);
      box.appendChild(figure);
    });
    return box;
  }
  function eventView(event) {
    var view = node("li", "event");
    view.dataset.status = event.event_status;
    var head = node("div", "line");
    head.appendChild(node("span", "badge " + event.event_status, event.event_status));
    head.appendChild(node("span", "time", "received " + when(event.received_at)));
    view.appendChild(head);
    view.appendChild(titleBlock(event.rendered_title, event.title_rule));
    details(view, event);
    if (event.images && event.images.length > 0) view.appendChild(images(event.images));
    notShown(view, event, "images");
    return view;
  }
  function adjustmentText(adjustment) {
    return adjustment.action === "truncated"
      ? adjustment.path + " truncated " + adjustment.before + " → " + adjustment.after + " characters"
      : adjustment.path + " discarded";
  }
  // How many images, adjustments or labels the feed left out.
  function notShown(view, made, name) {
    var count = made[name + "_not_shown"];
    if (count) view.appendChild(node("div", "mark", count + " more " + name + " not shown here; the NDJSON download has them"));
  }
  // What alert and change events share: event_time, description, what the mock cut, labels.
  function details(view, made) {
    if (made.event_time !== undefined) view.appendChild(node("div", "time", "event_time " + when(made.event_time * 1000)));
    if (made.description) view.appendChild(node("div", "description", made.description));
    (made.adjustments || []).forEach(function (adjustment) {
      view.appendChild(node("div", "mark adjustment", adjustmentText(adjustment)));
    });
    notShown(view, made, "adjustments");
    if (made.labels && Object.keys(made.labels).length > 0) view.appendChild(labelTable(made.labels));
    notShown(view, made, "labels");
  }
  function changeView(change) {
    var view = node("li", "event");
    view.dataset.status = change.change_status;
    var head = node("div", "line");
    head.appendChild(node("span", "badge " + change.change_status, change.change_status));
    head.appendChild(node("span", "time", "received " + when(change.received_at)));
    view.appendChild(head);
    view.appendChild(node("div", "title", change.title));
    if (change.link !== undefined) {
      var line = node("div", "link", "link ");
      var href = safeUrl(change.link);
      // Only an http(s) link is clickable; anything else (javascript:, data:) is shown as the text it is.
      line.appendChild(href ? anchor(href, change.link) : node("code", "", change.link));
      view.appendChild(line);
    }
    details(view, change);
    return view;
  }
  function adjusted(made) {
    var list = made.adjustments || [];
    return list.length > 0 ? " · " + list.map(adjustmentText).join(", ") : "";
  }
  // bdi: a bidi control in the key must not reorder what follows.
  function accepted(name, key, made) {
    var line = node("span", "outcome", "accepted · " + name + " ");
    line.append(node("bdi", "", shownKey(key)), adjusted(made));
    return line;
  }
  function outcome(entry) {
    var request = entry.request;
    if (request.alert_key) return accepted("alert_key", request.alert_key, entry.event || {});
    if (entry.change) return accepted("change_key", entry.change.change_key, entry.change);
    if (request.status === 0) return "connection reset (fault)";
    if (request.fault === "cut-body") return "connection cut mid-body (fault)";
    if (request.fault === "stalled-body") return "body stalled (fault)";
    var text = (request.code || "answered " + request.status) + (request.message ? ": " + request.message : "");
    if (request.rate_limit) text += " · " + request.rate_limit.limit + " per " + request.rate_limit.window + " exceeded";
    if (request.fault) text += " · injected fault: " + request.fault;
    return node("span", "outcome", text);
  }

  function drawAlerts(shown) {
    var groups = new Map();
    shown.forEach(function (entry) {
      if (!entry.event) return;
      var key = entry.event.alert_key;
      if (!groups.has(key)) groups.set(key, { events: [], alert: undefined });
      var group = groups.get(key);
      group.events.push(entry.event);
      if (entry.alert) group.alert = entry.alert;
    });
    var list = byId("alerts-list");
    list.replaceChildren();
    Array.from(groups.entries()).reverse().forEach(function (pair) {
      var group = pair[1];
      var last = group.events[group.events.length - 1];
      var card = node("article", "alert");
      card.dataset.alertKey = pair[0];
      var head = node("div", "line");
      var state = group.alert ? group.alert.status : "unknown";
      card.dataset.lifecycle = state;
      head.appendChild(node("span", "badge " + state, state === "resolved" ? "open → resolved" : state === "open" ? "open" : "Ok for an unknown alert"));
      head.appendChild(node("code", "key", shownKey(pair[0])));
      card.appendChild(head);
      // The alert's own title (an Ok event does not retitle it), else the latest event's.
      var shownTitle = group.alert || last;
      card.appendChild(titleBlock(shownTitle.rendered_title, shownTitle.title_rule));
      var events = node("ol", "events");
      group.events.forEach(function (event) { events.appendChild(eventView(event)); });
      card.appendChild(events);
      list.appendChild(card);
    });
    byId("alerts-count").textContent = String(groups.size);
  }
  function drawRequests(shown) {
    var list = byId("requests-list");
    list.replaceChildren();
    shown.slice().reverse().forEach(function (entry) {
      var request = entry.request;
      var row = node("li", "request " + (request.alert_key || entry.change ? "ok" : "bad"));
      row.dataset.status = String(request.status);
      row.dataset.code = request.code || "";
      row.appendChild(node("span", "time", new Date(request.received_at).toLocaleTimeString()));
      row.appendChild(node("span", "status", request.status === 0 ? "reset" : String(request.status)));
      row.appendChild(node("code", "path", request.method + " " + request.path));
      row.appendChild(outcome(entry));
      if (entry.event) row.appendChild(node("span", "title", entry.event.rendered_title.text));
      if (entry.change) row.appendChild(node("span", "title", entry.change.title));
      list.appendChild(row);
    });
    byId("requests-count").textContent = String(shown.length);
  }
  // A change's status line: each status with when it happened (event_time, else when it arrived).
  function statusLine(events) {
    var line = node("div", "status-line");
    events.forEach(function (change, index) {
      if (index > 0) line.appendChild(document.createTextNode(" → "));
      var at = change.event_time !== undefined ? change.event_time * 1000 : change.received_at;
      var step = node("span", "step");
      step.appendChild(node("b", "", change.change_status));
      step.appendChild(node("span", "time", " " + new Date(at).toLocaleTimeString()));
      line.appendChild(step);
    });
    return line;
  }
  function drawChanges(shown) {
    var groups = new Map();
    shown.forEach(function (entry) {
      if (!entry.change) return;
      var key = entry.change.change_key;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(entry.change);
    });
    var list = byId("changes-list");
    list.replaceChildren();
    Array.from(groups.entries()).reverse().forEach(function (pair) {
      var events = pair[1];
      var last = events[events.length - 1];
      var card = node("article", "change");
      card.dataset.changeKey = pair[0];
      card.dataset.status = last.change_status;
      var head = node("div", "line");
      head.appendChild(node("span", "badge " + last.change_status, last.change_status));
      head.appendChild(node("code", "key", shownKey(pair[0])));
      card.appendChild(head);
      card.appendChild(statusLine(events));
      card.appendChild(node("div", "title", last.title));
      var views = node("ol", "events");
      events.forEach(function (change) { views.appendChild(changeView(change)); });
      card.appendChild(views);
      list.appendChild(card);
    });
    byId("changes-count").textContent = String(groups.size);
  }
  function draw() {
    var started = Date.now();
    scheduled = false;
    var shown = entries.filter(keep);
    drawAlerts(shown);
    drawRequests(shown);
    drawChanges(shown);
    document.body.dataset.entries = String(entries.length);
    drawCost = Date.now() - started;
  }
  // The next draw waits as long as the last one took: a flood then costs at most half the page's time.
  function later() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(draw, drawCost);
  }
  function forget() {
    entries = [];
    later();
  }

  ["status", "key", "label"].forEach(function (name) {
    var input = byId("filter-" + name);
    input.addEventListener("input", function () {
      filters[name] = input.value.trim();
      later();
    });
  });
  byId("clear").addEventListener("click", function () {
    fetch("inspector/clear", { method: "POST" }).catch(function () {
      byId("connection").textContent = "clear failed";
    });
  });

  var source = new EventSource("inspector/events");
  source.addEventListener("open", function () {
    byId("connection").textContent = "live";
    document.body.dataset.connection = "live";
  });
  source.addEventListener("error", function () {
    byId("connection").textContent = "reconnecting…";
    document.body.dataset.connection = "reconnecting";
  });
  source.addEventListener("hello", function (message) {
    var hello = JSON.parse(message.data);
    entries = [];
    byId("push-url").textContent = hello.push_url;
    byId("change-push-url").textContent = hello.change_push_url || "";
    byId("changes").hidden = !hello.changes;
    byId("omitted").textContent =
      (hello.omitted > 0 ? hello.omitted + " older requests not shown · " : "") +
      "the mock keeps at most the latest " + hello.kept + " requests (fewer when their bodies are large); older ones are forgotten";
    later();
  });
  source.addEventListener("request", function (message) {
    entries.push(JSON.parse(message.data));
    if (entries.length > MAX_SHOWN) entries.shift();
    later();
  });
  // An accepted change push: its request came just before, with the same seq.
  source.addEventListener("change", function (message) {
    var data = JSON.parse(message.data);
    for (var index = entries.length - 1; index >= 0; index--) {
      if (entries[index].seq === data.seq) {
        entries[index].change = data.change;
        break;
      }
    }
    later();
  });
  source.addEventListener("clear", forget);
})();
`;
