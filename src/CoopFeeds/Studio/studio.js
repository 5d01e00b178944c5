// The studio's behaviour: the one ES module of the /studio page, no build step.
// Every string from the API or from a fetched page reaches the page as text (createElement + textContent): nothing here
// assigns innerHTML, outerHTML or insertAdjacentHTML. The snapshot of a page goes into a sandboxed frame through its
// srcdoc property, and the page listens to no `message` events at all: that frame runs no scripts, so it cannot send any.

const api = (path) => new URL(`api/${path}`, import.meta.url);
const tokenKey = "coopfeeds.studio.token";
const selectorNames = ["Item", "Title", "Link", "Date", "Summary", "Category", "Group", "NextPage"];
const previewDelayMs = 300;
const snapshotPolicy = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;

const $ = (id) => document.getElementById(id);

/** The state of the one flow on the page. */
const state = {
  url: "",
  fetchId: null,
  /**
   * What the form does not show of the entry being repaired (Interval, TimeZone, BaseUrl, RespectRobots…), kept as it
   * stands so that previews read the page as the entry does and a save replaces it without losing them.
   */
  kept: {},
  /** The field whose matches the snapshot outlines: the selector input last focused. */
  focus: "Item",
};

// Token --------------------------------------------------------------------------------------------------------------

function token() {
  return sessionStorage.getItem(tokenKey);
}

function showToken() {
  const held = token() !== null;
  $("token-form").hidden = held;
  $("token-held").hidden = !held;
  $("studio").hidden = !held;
}

function forgetToken(problem) {
  sessionStorage.removeItem(tokenKey);
  $("token-problem").textContent = problem ?? "";
  showToken();
}

// Calls --------------------------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problems, body) {
    super(problems.join("; ") || `HTTP ${status}`);
    this.status = status;
    this.problems = problems;
    this.body = body;
  }
}

/** A call to /studio/api/*: JSON in, the parsed JSON (or text) out; an answer that is not 2xx throws an ApiError. */
async function call(path, { body, signal, method = body === undefined ? "GET" : "POST", as = "json" } = {}) {
  const headers = { Authorization: `Bearer ${token()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(api(path), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    credentials: "omit",
    cache: "no-store",
    referrerPolicy: "no-referrer",
  });
  if (response.status === 401) {
    forgetToken("The token was refused: enter it again.");
    throw new ApiError(401, ["the token was refused"], null);
  }
  const isJson = (response.headers.get("Content-Type") ?? "").includes("json");
  const parsed = isJson ? await response.json() : await response.text();
  if (!response.ok) {
    const problems = isJson && Array.isArray(parsed?.problems) ? parsed.problems.map(String) : [typeof parsed === "string" && parsed ? parsed : `HTTP ${response.status}`];
    throw new ApiError(response.status, problems, parsed);
  }
  return as === "text" && isJson ? JSON.stringify(parsed) : parsed;
}

/**
 * Runs a slow step: its status line says it is working and offers Cancel; a new run of the same step cancels the one
 * before. Resolves to the step's result, or to undefined when it was cancelled or replaced.
 */
const running = new Map();
async function step(name, statusId, working, work) {
  running.get(name)?.abort();
  const controller = new AbortController();
  running.set(name, controller);
  const status = $(statusId);
  const cancel = element("button", { type: "button", text: "Cancel" });
  cancel.addEventListener("click", () => controller.abort());
  status.replaceChildren(element("span", { className: "busy", text: working }), " ", cancel);
  try {
    const result = await work(controller.signal);
    if (running.get(name) === controller) status.replaceChildren();
    return result;
  } catch (error) {
    if (controller.signal.aborted) {
      if (running.get(name) === controller) status.replaceChildren(element("span", { text: "Cancelled." }));
      return undefined;
    }
    status.replaceChildren(element("span", { className: "problems", text: error instanceof ApiError ? error.message : String(error) }));
    throw error;
  } finally {
    if (running.get(name) === controller) running.delete(name);
  }
}

// DOM ----------------------------------------------------------------------------------------------------------------

/** An element with text and properties set; never markup. */
function element(tag, { text, className, ...properties } = {}, children = []) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  for (const [key, value] of Object.entries(properties)) node[key] = value;
  node.append(...children);
  return node;
}

/** A link only to an http(s) address, opening without an opener or a referrer; anything else is shown as text. */
function link(address) {
  if (!address) return document.createTextNode("");
  let url;
  try {
    url = new URL(address);
  } catch {
    return document.createTextNode(String(address));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return document.createTextNode(String(address));
  return element("a", { href: url.href, text: url.href, rel: "noopener noreferrer", target: "_blank", referrerPolicy: "no-referrer" });
}

function list(target, lines) {
  $(target).replaceChildren(...lines.map((line) => element("li", { text: line })));
}

/** Reads a property whichever way the API cased it (sources-file entries are PascalCase, the rest camelCase). */
function field(object, name) {
  if (!object) return undefined;
  if (name in object) return object[name];
  const other = name[0] === name[0].toUpperCase() ? name[0].toLowerCase() + name.slice(1) : name[0].toUpperCase() + name.slice(1);
  return object[other];
}

// 1. The page --------------------------------------------------------------------------------------------------------

async function fetchPage(url) {
  state.url = url;
  state.fetchId = null;
  $("fetch-result").hidden = true;
  let fetched;
  try {
    fetched = await step("fetch", "fetch-status", `Fetching ${url}…`, (signal) => call("fetch", { body: { url }, signal }));
  } catch {
    return false; // the status line names the failure
  }
  if (!fetched) return false;
  state.fetchId = fetched.fetchId;
  const facts = [
    ["Status", fetched.status],
    ["Final address", fetched.finalUrl],
    ["Charset", fetched.charset ?? "not given"],
    ["Size", `${fetched.bytes} bytes`],
    ["Time", `${fetched.ms} ms`],
  ];
  $("fetch-result").replaceChildren(...facts.flatMap(([name, value]) => [element("dt", { text: name }), element("dd", { text: value })]));
  $("fetch-result").hidden = false;
  $("form-step").hidden = false;
  $("items-step").hidden = false;
  $("save-step").hidden = false;
  $("snapshot-step").hidden = false;
  return true;
}

async function suggest() {
  $("candidates-step").hidden = false;
  $("candidates").replaceChildren();
  let result;
  try {
    result = await step("suggest", "suggest-status", "Looking for lists on the page…", (signal) =>
      call("suggest", { body: { fetchId: state.fetchId }, signal }));
  } catch {
    return; // the status line says why there is no proposal; the form can still be filled by hand
  }
  if (!result) return;
  const candidates = result.candidates ?? [];
  const problems = (result.problems ?? []).map(String);
  if (candidates.length === 0) problems.push("No list of items was found on this page: write the selectors yourself.");
  $("suggest-status").replaceChildren(...problems.map((p) => element("p", { className: "problems", text: p })));
  $("candidates").replaceChildren(...candidates.map(candidateItem));
}

function candidateItem(candidate) {
  const source = candidate.source ?? {};
  const selectors = field(source, "Selectors") ?? {};
  const found = selectorNames.filter((name) => selectors[name]);
  const choose = element("button", { type: "button", text: "Use this one", className: "choose" });
  choose.addEventListener("click", () => {
    fillForm(source);
    preview();
  });
  const firstTitles = (candidate.items ?? []).slice(0, 3).map((item) => item.title).filter(Boolean);
  return element("li", { className: "candidate" }, [
    element("strong", { text: `${candidate.itemCount} items` }),
    ` · score ${Number(candidate.score).toFixed(2)} · fields: ${found.join(", ")} `,
    choose,
    element("div", { className: "count", text: `Item: ${selectors.Item ?? ""}` }),
    firstTitles.length ? element("div", { className: "count", text: `First: ${firstTitles.join(" | ")}` }) : "",
    element("ul", { className: "evidence" }, (candidate.evidence ?? []).map((line) => element("li", { text: line }))),
  ]);
}

async function repair(id) {
  let entry;
  try {
    entry = await step("fetch", "fetch-status", `Opening ${id}…`, (signal) => call(`sources/${encodeURIComponent(id)}`, { signal }));
  } catch {
    return;
  }
  if (!entry) return;
  state.kept = Object.fromEntries(Object.entries(entry.source ?? {}).filter(([key]) => !shownOrOwn.has(key.toLowerCase())));
  $("url").value = entry.url;
  $("source-id").value = entry.id;
  $("section").value = entry.section;
  $("replace").checked = true;
  showNewSection();
  if (!(await fetchPage(entry.url))) return;
  fillForm(entry.source ?? {});
  await Promise.all([suggest(), preview()]);
}

// 3. The form --------------------------------------------------------------------------------------------------------

/** Entry keys the form edits, or the save form and the server set: never carried over from a repaired entry. */
const shownOrOwn = new Set(["id", "section", "url", "allowprivatenetworks", "selectors", "dateformats", "cultures", "maxpages"]);

function fillForm(source) {
  const selectors = field(source, "Selectors") ?? {};
  for (const name of selectorNames) $(`sel-${name}`).value = selectors[name] ?? "";
  $("date-formats").value = (field(source, "DateFormats") ?? []).join("\n");
  $("cultures").value = (field(source, "Cultures") ?? []).join(", ");
  $("max-pages").value = field(source, "MaxPages") ?? 1;
  $("form-step").hidden = false;
}

/** The source as the form says it now: the typed values, never the saved ones. */
function formSource() {
  const selectors = {};
  for (const name of selectorNames) {
    const value = $(`sel-${name}`).value.trim();
    if (value) selectors[name] = value;
  }
  const source = { ...state.kept, Selectors: selectors };
  const formats = $("date-formats").value.split("\n").map((f) => f.trim()).filter(Boolean);
  if (formats.length) source.DateFormats = formats;
  const cultures = $("cultures").value.split(/[,\s]+/).map((c) => c.trim()).filter(Boolean);
  if (cultures.length) source.Cultures = cultures;
  const pages = Number.parseInt($("max-pages").value, 10);
  if (Number.isInteger(pages) && pages > 1) source.MaxPages = pages;
  return source;
}

let previewTimer = 0;
function previewSoon() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(preview, previewDelayMs);
}

// 4. The items -------------------------------------------------------------------------------------------------------

async function preview() {
  clearTimeout(previewTimer);
  const source = formSource();
  $("items-step").hidden = false;
  if (!source.Selectors.Item || !source.Selectors.Title) {
    running.get("preview")?.abort();
    $("preview-status").replaceChildren(element("span", { text: "Item and Title selectors are needed for a preview." }));
    return;
  }
  const target = state.fetchId ? { fetchId: state.fetchId } : { url: state.url };
  let result;
  try {
    result = await step("preview", "preview-status", "Reading the items…", (signal) => call("preview", { body: { ...target, source }, signal }));
  } catch (error) {
    // The table is the truth: after a failed preview it must not show the previous selectors' items as if current. The
    // status line names the failure.
    if (error instanceof ApiError) {
      showCounts({});
      list("preview-warnings", []);
      document.querySelector("#items tbody").replaceChildren();
    }
    return;
  }
  if (!result) return;
  showCounts(result.counts ?? {});
  list("preview-warnings", (result.warnings ?? []).map(String));
  const rows = (result.items ?? []).map(itemRow);
  document.querySelector("#items tbody").replaceChildren(...rows);
  $("preview-status").replaceChildren(element("span", { className: "ok", text: `${rows.length} items` }));
}

function itemRow(item, index) {
  const warnings = (item.warnings ?? []).map(String);
  return element("tr", { className: warnings.length ? "warned item" : "item" }, [
    element("td", { text: index + 1 }),
    element("td", { className: "title", text: item.title ?? "" }),
    element("td", { className: "link" }, [link(item.link)]),
    element("td", { className: "raw-date", text: item.rawDate ?? "" }),
    element("td", { className: "date", text: item.date ?? "" }),
    element("td", { className: "summary", text: item.summary ?? "" }),
    element("td", { className: "category", text: item.category ?? "" }),
    element("td", { className: "warnings", text: warnings.join("; ") }),
  ]);
}

function showCounts(counts) {
  const items = field(counts, "Item")?.matched;
  for (const name of selectorNames) {
    const output = $(`count-${name}`);
    const count = field(counts, name);
    output.classList.remove("short");
    if (!count) {
      output.textContent = "";
      continue;
    }
    if (name === "Item") output.textContent = `${name}: ${count.matched} matched`;
    else if (name === "Date" && count.parsed !== undefined) {
      output.textContent = `${name}: ${count.parsed}/${count.matched} parsed`;
      if (count.parsed < count.matched) output.classList.add("short");
    } else {
      output.textContent = items === undefined ? `${name}: ${count.matched} matched` : `${name}: ${count.matched}/${items} matched`;
      if (items !== undefined && count.matched < items && name !== "NextPage" && name !== "Group") output.classList.add("short");
    }
  }
}

// 5. Save ------------------------------------------------------------------------------------------------------------

function showNewSection() {
  const isNew = $("section").value === "";
  $("section-slug").disabled = !isNew;
  $("section-title").disabled = !isNew;
}

async function loadSources() {
  let listing;
  try {
    listing = await call("sources");
  } catch {
    return;
  }
  const sources = listing.sources ?? [];
  const sections = listing.sections ?? [];
  $("existing").replaceChildren(
    element("option", { value: "", text: "an existing source…" }),
    ...sources.map((s) => element("option", { value: s.id, text: `${s.id} (${s.section})` })));
  const chosen = $("section").value;
  $("section").replaceChildren(
    element("option", { value: "", text: "a new section…" }),
    ...sections.map((s) => element("option", { value: s.slug, text: `${s.title} (${s.slug})` })));
  if (sections.some((s) => s.slug === chosen)) $("section").value = chosen;
  showNewSection();
}

/** Whether a save is running: a second Save (a double click, Enter) then does nothing, rather than repeat the first. */
let saving = false;

async function save() {
  if (saving) return;
  const isNew = $("section").value === "";
  const body = {
    id: $("source-id").value.trim(),
    section: isNew ? $("section-slug").value.trim() : $("section").value,
    url: state.url,
    source: formSource(),
    replace: $("replace").checked,
  };
  if (isNew) body.sectionTitle = $("section-title").value.trim();
  if (state.fetchId) body.fetchId = state.fetchId;
  $("save-problems").replaceChildren();
  $("save-warnings").replaceChildren();
  $("save-json").hidden = true;
  saving = true;
  $("save").disabled = true;
  // No Cancel, unlike the other steps: a save once sent may already have written the file, so aborting it here would
  // only hide the answer. The button stays disabled until that answer comes.
  $("save-status").replaceChildren(element("span", { className: "busy", text: "Saving…" }));
  try {
    const saved = await call("sources", { body });
    const fixture = (saved.fixture ?? []).join(" and ");
    $("save-status").replaceChildren(element("span", {
      className: "ok",
      text: `Saved ${saved.id} in ${saved.section}${fixture ? `, with the fixture ${fixture}` : ""}. The service picks it up on its next reload.`,
    }));
    // Saved, but with something left undone (such as a fixture that could not be written): said, not hidden.
    list("save-warnings", (saved.warnings ?? []).map(String));
    await loadSources();
  } catch (error) {
    $("save-status").replaceChildren(element("span", { className: "problems", text: error instanceof ApiError ? error.message : String(error) }));
    if (!(error instanceof ApiError)) return;
    const problems = [...error.problems];
    if (error.status === 409) problems.push("Tick Replace to replace it, or choose another id.");
    list("save-problems", problems);
    const json = error.body && typeof error.body === "object" ? error.body.json : undefined;
    if (json) {
      $("save-json").textContent = typeof json === "string" ? json : JSON.stringify(json, null, 2);
      $("save-json").hidden = false;
      $("save-problems").append(element("li", { text: "The file was not changed: paste this entry into it yourself." }));
    }
  } finally {
    saving = false;
    $("save").disabled = false;
  }
}

// 6. Snapshot --------------------------------------------------------------------------------------------------------

async function snapshot() {
  if (!state.fetchId) return;
  const frame = $("snapshot-frame");
  // The frame's sandbox is in the markup; refuse to show anything should it ever have lost it.
  if (!frame.hasAttribute("sandbox") || frame.sandbox.length !== 0) throw new Error("the snapshot frame must be sandboxed without allowances");
  let html;
  try {
    html = await step("snapshot", "snapshot-status", "Cleaning a copy of the page…", (signal) =>
      call("snapshot", { body: { fetchId: state.fetchId, source: formSource(), focus: state.focus }, signal, as: "text" }));
  } catch {
    return;
  }
  if (html === undefined) return;
  // The server's cleaned copy goes into the sandboxed frame as a document of its own (srcdoc property), with a policy of
  // its own on top of the one it inherits from this page: it can load nothing.
  frame.srcdoc = withPolicy(html);
  $("snapshot-status").replaceChildren(element("span", { className: "ok", text: `Outlined: the ${state.focus} selector's matches.` }));
}

/** The document with our policy first in it: after its doctype, so that it still renders in standards mode. */
function withPolicy(html) {
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return doctype ? doctype[0] + snapshotPolicy + html.slice(doctype[0].length) : snapshotPolicy + html;
}

// Wiring -------------------------------------------------------------------------------------------------------------

function start() {
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("token").value.trim();
    if (!value) return;
    sessionStorage.setItem(tokenKey, value);
    $("token").value = "";
    $("token-problem").textContent = "";
    showToken();
    loadSources();
  });
  $("forget-token").addEventListener("click", () => forgetToken());

  $("fetch-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    state.kept = {};
    const url = $("url").value.trim();
    if (url && (await fetchPage(url))) await suggest();
  });
  $("repair-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const id = $("existing").value;
    if (id) repair(id);
  });

  for (const name of selectorNames) {
    $(`sel-${name}`).addEventListener("focus", () => { state.focus = name; });
  }
  $("source-form").addEventListener("input", previewSoon);
  $("source-form").addEventListener("submit", (event) => {
    event.preventDefault();
    preview();
  });

  $("section").addEventListener("change", showNewSection);
  $("save-form").addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  $("snapshot").addEventListener("click", snapshot);

  showToken();
  if (token() !== null) loadSources();
}

start();
