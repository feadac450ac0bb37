// Helpers of the DR console's pages (index.html, tenant.html): escaping, figures, cells, fetches.
"use strict";
const esc = (s) => String(s).replace(/[&<>"']/g,
    (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c]));
const secs = (s) => s < 0 ? "-" : s.toFixed(1) + " s";

// Lag in seconds over time as a line, the RPO as a dashed line, scaled to the larger of the two.
function chart(points, rpo) {
  const w = 220, h = 44, now = Date.now(), span = 10 * 60 * 1000;
  points = points.filter((p) => p.lagSeconds >= 0);
  const top = Math.max(rpo, ...points.map((p) => p.lagSeconds)) * 1.1 || 1;
  const x = (t) => (w * (1 - (now - Date.parse(t)) / span)).toFixed(1);
  const y = (v) => (h - (h * v) / top).toFixed(1);
  const line = points.map((p) => x(p.at) + "," + y(p.lagSeconds)).join(" ");
  return '<svg width="' + w + '" height="' + h + '" role="img" aria-label="lag versus RPO">' +
      '<line x1="0" x2="' + w + '" y1="' + y(rpo) + '" y2="' + y(rpo) +
      '" stroke="#c33" stroke-dasharray="4 3"/>' +
      '<polyline fill="none" stroke="#2456c7" stroke-width="1.5" points="' + line + '"/></svg>';
}

// The tenant's newest drill: outcome linked to its report page, and its age.
function drillCell(d) {
  if (!d) return '<td class="drill">none</td>';
  const age = (Date.now() - Date.parse(d.writtenAt)) / 1000;
  const ago = age < 3600 ? Math.round(age / 60) + " min" : age < 172800 ?
      Math.round(age / 3600) + " h" : Math.round(age / 86400) + " d";
  return '<td class="drill"><a class="status ' + (d.passed ? "OK" : "BREACH") + '" href="/api/drills/' +
      encodeURIComponent(d.id) + '/html">' + (d.passed ? "passed" : "failed") + "</a><div>" +
      ago + " ago</div></td>";
}

// Where the tenant's clients are: the registry's cluster, since when, at which epoch.
function clientsCell(b) {
  if (!b) return '<td class="clients">unknown</td>';
  return '<td class="clients">' + esc(b.cluster) + '<div class="since">since ' +
      esc(iso(b.since)) +
      " (epoch " + esc(b.epoch) + ")</div></td>";
}

// One workflow: its steps with their state and time, the running step's progress.
function workflowRow(w) {
  const took = w.finishedAt ? (Date.parse(w.finishedAt) - Date.parse(w.createdAt)) / 1000 :
      (Date.now() - Date.parse(w.createdAt)) / 1000;
  const steps = (w.steps || []).map((st) => '<span class="step ' + esc(st.state) + '" title="' +
      esc(st.detail || "") + '">' + esc(st.name) + (st.millis >= 0 ? " " + st.millis + " ms" : "") +
      (st.progress ? ": " + esc(st.progress) : "") + "</span>").join("");
  return '<tr data-workflow="' + esc(w.id) + '"><td><a href="/tenant.html?tenant=' +
      encodeURIComponent(w.tenant) + '">' + esc(w.tenant) + "</a></td><td>" + esc(w.kind) +
      (w.dryRun ? " (dry run)" : "") + '<div class="since">' + esc(w.id) + "</div></td>" +
      '<td><span class="status ' + esc(w.state) + '">' + esc(w.state) + "</span>" +
      (w.error ? "<div>" + esc(w.error) + "</div>" : "") + "</td><td>" +
      esc(iso(w.createdAt)) + '</td><td class="num">' +
      took.toFixed(1) + " s</td><td>" + steps + "</td></tr>";
}

async function json(url) {
  // location.origin never carries user:password, which fetch() refuses in a URL; the browser
  // sends the credentials the page itself was loaded with.
  const r = await fetch(location.origin + url, {cache: "no-store", credentials: "same-origin"});
  if (!r.ok) throw new Error(url + " answered " + r.status);
  return r.json();
}

// A UTC instant to the second.
function iso(t) {
  return t ? new Date(t).toISOString().replace(/\.\d+Z$/, "Z") : "-";
}

