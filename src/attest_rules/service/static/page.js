"use strict";
// The page's own words come from the library's gettext catalogues (GET messages?lang=...), as
// the titles and reasons come from the spec in the chosen language; the clauses stay as the spec
// holds them (Kazakh).
const WORDS = {};
const $ = (id) => document.getElementById(id);
const word = (key) => (WORDS[$("lang").value] || {})[key] || key;

async function loadWords(lang) {
  if (!WORDS[lang]) WORDS[lang] = await (await fetch("messages?lang=" + encodeURIComponent(lang))).json();
}
let interpretations = [];

function el(tag, text, cls) {  // text, never markup: what a case or the spec holds is shown, not run
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

async function translate() {
  await loadWords($("lang").value);
  document.documentElement.lang = $("lang").value;
  for (const node of document.querySelectorAll("[data-word]")) node.textContent = word(node.dataset.word);
  for (const [box, suffix] of [["interpretations", ""], ["interpretations2", "2"]]) renderChoices(box, suffix);
}

function renderChoices(box, suffix) {
  const holder = $(box);
  const kept = {};
  for (const s of holder.querySelectorAll("select")) kept[s.dataset.id] = s.value;
  holder.replaceChildren();
  for (const i of interpretations) {
    const label = el("label", i.id);
    label.title = i.question;
    const select = el("select");
    select.dataset.id = i.id;
    select.id = "interp" + suffix + "-" + i.id;
    for (const c of [i.default, ...i.alternatives]) {
      const option = el("option", c.id + (c.id === i.default.id ? " (" + word("default_choice") + ")" : ""));
      option.value = c.id;
      select.append(option);
    }
    if (kept[i.id]) select.value = kept[i.id];
    label.append(select);
    holder.append(label);
  }
}

function params(dateId, box) {
  const p = new URLSearchParams({lang: $("lang").value});
  if ($(dateId).value) p.set("on", $(dateId).value);
  for (const s of $(box).querySelectorAll("select")) {
    const i = interpretations.find((x) => x.id === s.dataset.id);
    if (i && s.value !== i.default.id) p.append("interpretation", i.id + "=" + s.value);
  }
  return p;
}

async function evaluate(p) {
  const response = await fetch("evaluate?" + p.toString(), {
    method: "POST", headers: {"content-type": "application/yaml"}, body: $("case").value,
  });
  const data = await response.json();
  if (!response.ok) {
    const where = (data.location || []).map((l) => (l.field || (l.file + ":" + l.line + ":" + l.column)) + ": " + l.message);
    throw new Error([data.detail, ...where].join("\n"));
  }
  return data;
}

// a record of format 2 cites each clause by id, held once in its clauses; format 1 in full
function answerCell(a, clauses) {
  const cell = el("td");
  const reasons = el("ul");
  for (const r of a.reasons) reasons.append(el("li", r));
  cell.append(reasons);
  if (a.missing.length) cell.append(el("div", word("missing") + ": " + a.missing.join(", "), "note"));
  for (const d of a.dates) cell.append(el("div", d.label + " = " + d.date, "note"));
  for (const cited of a.citations) {
    const c = typeof cited === "string" ? (clauses || {})[cited] || {provision_id: cited, version: ""} : cited;
    const link = el("a", "§ " + c.provision_id + " [" + c.version + "]");
    const p = new URLSearchParams({provision: c.provision_id, on: a.event_date || $("on").value || new Date().toISOString().slice(0, 10)});
    link.href = "regulation?" + p.toString();
    link.target = "_blank";
    const clause = el("div", null, "clause");
    clause.append(link, el("span", " " + (c.text_kk || "")));
    clause.lang = "kk";
    cell.append(clause);
  }
  return cell;
}

function statusCell(a) {
  const cell = el("td");
  cell.append(el("span", word(a.status), a.status));
  if (a.outcome) cell.append(el("div", a.outcome, "note"));
  if (a.version) cell.append(el("div", a.version, "note"));
  return cell;
}

function show(record, other) {
  const body = $("answers").querySelector("tbody");
  body.replaceChildren();
  const byQuestion = {};
  for (const a of (other ? other.answers : [])) byQuestion[a.question] = a;
  let changed = 0;
  for (const a of record.answers) {
    const row = el("tr");
    row.dataset.question = a.question;
    const q = el("td");
    q.append(el("div", a.title), el("div", a.question, "note"));
    row.append(q, statusCell(a), answerCell(a, record.clauses));
    if (other) {
      const b = byQuestion[a.question];
      row.append(b ? statusCell(b) : el("td"));
      if (b && (b.status !== a.status || b.outcome !== a.outcome)) { row.classList.add("changed"); changed += 1; }
    }
    body.append(row);
  }
  $("other-head").hidden = !other;
  $("answers").hidden = false;
  const counts = {};
  for (const a of record.answers) counts[a.status] = (counts[a.status] || 0) + 1;
  const summary = Object.entries(counts).map(([s, n]) => n + " " + word(s));
  if (other) summary.push(changed + " " + word("changed"));
  $("summary").textContent = record.case_id ? record.case_id + ": " + summary.join(", ") : summary.join(", ");
}

async function run(compare) {
  $("error").textContent = "";
  try {
    const first = await evaluate(params("on", "interpretations"));
    const second = compare ? await evaluate(params("on2", "interpretations2")) : null;
    show(first, second);
  } catch (e) {
    $("answers").hidden = true;
    $("summary").textContent = "";
    $("error").textContent = e.message;
  }
}

$("form").addEventListener("submit", (e) => { e.preventDefault(); run(false); });
$("compare-button").addEventListener("click", () => run(true));
$("lang").addEventListener("change", async () => {
  await translate();
  if (!$("answers").hidden) run(!$("other-head").hidden);  // the answers too, in the new language
});
$("file").addEventListener("change", async () => {
  const f = $("file").files[0];
  if (f) $("case").value = await f.text();
});

(async () => {
  const health = await (await fetch("health")).json();
  $("spec").textContent = health.spec_id + " " + health.spec_version + " (" + health.spec_hash.slice(0, 19) + "…), attest_rules " + health.library_version;
  interpretations = await (await fetch("interpretations")).json();
  await translate();
  document.body.dataset.ready = "1";
})();
