// Page wiring: search state (text, image or "similar to"), the URL, status and error lines, shortcuts.
import * as api from "./api.js";
import { SearchControls } from "./controls.js";
import { DetailPanel } from "./detail.js";
import { applyTranslations, onLanguageChange, setUILanguage, t, uiLanguage } from "./i18n.js";
import { ImageQuery } from "./imagequery.js";
import { ResultsView, namesOf } from "./results.js";
import { readURL, writeURL } from "./urlstate.js";

const PAGE_SIZE = 24;
const $ = (id) => document.getElementById(id);

const form = $("search-form");
const input = $("query");
const statusLine = $("status");
const skippedLine = $("skipped");
const errorBox = $("error");
const moreButton = $("more");
const resultsList = $("results");
const examples = $("examples");

const controls = new SearchControls({ algorithm: $("algorithm"), mode: $("mode"), language: $("language") });
const results = new ResultsView(resultsList, {
  onOpen: (result) => openAsset(result.asset_id, result),
  onLeaveTop: () => input.focus(),
});
const detail = new DetailPanel($("detail"), {
  onSimilar: (asset) => {
    detail.close();
    runSearch({ kind: "similar", asset: { asset_id: asset.asset_id, name: asset.name, name_zh: asset.name_zh } });
  },
  onClose: () => {
    writeURL({ ...urlState(), asset: null });
    if (lastOpener && document.contains(lastOpener)) lastOpener.focus();
  },
});
const imageQuery = new ImageQuery({
  button: $("image-button"),
  input: $("image-input"),
  chip: $("image-chip"),
  overlay: $("drop-overlay"),
  onImage: (file) => runSearch({ kind: "image", file }),
  onClear: () => {
    if (current?.kind !== "image") return; // the image was never searched with, or its search failed
    if (input.value.trim()) runSearch({ kind: "text", query: input.value.trim() });
    else resetResults();
  },
  onError: (text) => showError({ text }),
});

let current = null; // {kind, query | file | asset, page, response}
let inFlight = null;
let lastOpener = null;
let statusMessage = null; // {key, params} so it can be re-translated
let errorMessage = null;
let serverInfo = null; // {count, spaces} from /health
let serverProblem = null; // why /health failed, kept on screen until a search works
let appliedSearch = null; // the URL's search part last run, so Back/Forward only rerun real changes

function searchKey(state) {
  return JSON.stringify([state.q, state.similar, state.algorithm, state.mode, state.lang]);
}

// --- status and errors ----------------------------------------------------------------------------

function showStatus(key, params = {}) {
  statusMessage = key ? { key, params } : null;
  renderStatusMessage();
}

function showSkipped(skipped) {
  const entries = Object.entries(skipped || {});
  skippedLine.hidden = !entries.length;
  // The server's reasons usually start with the space's name already ("minilm (…) reads English only").
  const list = entries.map(([space, why]) => (why.startsWith(space) ? why : `${space}: ${why}`)).join("; ");
  skippedLine.textContent = entries.length ? t("skipped", { list }) : "";
}

/** `{key, params}` for a translated message or `{text}` for one already written. */
function showError(message) {
  errorMessage = message;
  errorBox.hidden = !message;
  errorBox.textContent = message ? message.text ?? t(message.key, message.params) : "";
}

/** A readable message for a failed API call; `feature` names the route for "not offered yet". */
function errorText(error, feature) {
  if (!(error instanceof api.ApiError)) return error?.message || String(error);
  if (error.status === 0) return t("unreachable");
  if (error.routeMissing && feature) return t("notOffered", { feature: t(feature), status: error.status });
  return error.serverMessage || t("httpStatus", { status: error.status });
}

// --- URL ----------------------------------------------------------------------------------------

function urlState() {
  const values = controls.values();
  return {
    q: current?.kind === "text" ? current.query : "",
    similar: current?.kind === "similar" ? current.asset.asset_id : "",
    algorithm: values.algorithm,
    mode: values.mode,
    lang: values.language,
    asset: detail.isOpen ? detail.asset?.asset_id ?? detail.summary?.asset_id : null,
  };
}

// --- searching ------------------------------------------------------------------------------------

function resetResults() {
  current = null;
  examples.hidden = false;
  results.clear();
  moreButton.hidden = true;
  showSkipped({});
  showError(serverProblem);
  if (serverInfo) showStatus("ready", serverInfo);
  else showStatus("startHint");
  writeURL(urlState());
}

/**
 * Runs a search; `spec` = {kind:"text", query} | {kind:"image", file} | {kind:"similar", asset}. A failed
 * image or "similar" search keeps the results that were on screen; a failed text search clears them.
 */
async function runSearch(spec, { append = false, push = true } = {}) {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  const previous = { current, input: input.value, status: statusMessage };
  const target = append ? current : { ...spec, page: 0, response: null };
  const page = append ? current.page + 1 : 0;
  if (!append && spec.kind !== "text") input.value = ""; // the text box would not be part of this search
  showError(null);
  showStatus("searching");
  resultsList.setAttribute("aria-busy", "true");
  moreButton.disabled = true;
  const started = performance.now();
  const { algorithm, mode, language } = controls.values();
  const params = { algorithm, mode, language, top_k: PAGE_SIZE, page };
  try {
    let response;
    if (spec.kind === "text") response = await api.searchText({ ...params, query: spec.query }, controller.signal);
    else if (spec.kind === "image") response = await api.searchImage(spec.file, params, controller.signal);
    else response = await api.similar(spec.asset.asset_id, params, controller.signal);
    if (controller.signal.aborted) return;
    current = target;
    serverProblem = null;
    examples.hidden = true;
    current.page = page;
    current.response = response;
    if (!append) {
      if (spec.kind !== "image") imageQuery.clear();
      writeURL(urlState(), { push });
      appliedSearch = searchKey(urlState());
    }
    results.render(response.results, { append });
    showSkipped(response.skipped);
    const ms = Math.round(performance.now() - started);
    const count = results.results.length;
    moreButton.hidden = !response.has_more || spec.kind === "similar";
    if (!count) {
      showStatus(null);
      // An empty page is not an error, but it is shown in the same visible box so nobody misses it.
      if (spec.kind === "image") showError({ key: "noResultsImage" });
      else showError({ key: "noResults", params: { query: spec.kind === "text" ? spec.query : namesOf(spec.asset).primary } });
      return;
    }
    statusMessage = {
      key: response.has_more ? "resultCountMore" : "resultCount",
      params: { count, ms, algorithm: response.algorithm },
      spec,
    };
    renderStatusMessage();
  } catch (error) {
    if (error.name === "AbortError") return;
    if (append || spec.kind !== "text") {
      current = previous.current;
      input.value = previous.input;
      statusMessage = previous.status;
      renderStatusMessage();
    } else {
      current = target;
      examples.hidden = true;
      writeURL(urlState(), { push });
      appliedSearch = searchKey(urlState());
      results.clear();
      moreButton.hidden = true;
      showSkipped({});
      showStatus(null);
    }
    const feature = spec.kind === "image" ? "featureImageSearch" : spec.kind === "similar" ? "featureSimilar" : null;
    showError({ key: spec.kind === "similar" ? "similarFailed" : "searchFailed", params: { message: errorText(error, feature) } });
  } finally {
    if (inFlight === controller) {
      inFlight = null;
      resultsList.setAttribute("aria-busy", "false");
      moreButton.disabled = false;
      // Completed searches, counted so scripts (and the browser test) can wait for the next one.
      resultsList.dataset.completed = String(Number(resultsList.dataset.completed || 0) + 1);
    }
  }
}

/** The status line for a finished search, prefixed with what was searched for (re-translatable). */
function renderStatusMessage() {
  if (!statusMessage) return void (statusLine.textContent = "");
  const spec = statusMessage.spec;
  let prefix = "";
  if (spec?.kind === "similar") prefix = `${t("similarTo", { name: namesOf(spec.asset).primary })} · `;
  if (spec?.kind === "image") prefix = `${t("imageQueryStatus", { name: spec.file.name || "image" })} · `;
  statusLine.textContent = prefix + t(statusMessage.key, statusMessage.params);
}

function openAsset(id, summary) {
  lastOpener = document.activeElement;
  detail.open(id, summary);
  writeURL({ ...urlState(), asset: id });
}

// --- events -------------------------------------------------------------------------------------

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value.trim();
  if (query) runSearch({ kind: "text", query });
  else if (imageQuery.file) runSearch({ kind: "image", file: imageQuery.file });
  else input.focus();
});

for (const select of [$("algorithm"), $("mode"), $("language")]) {
  select.addEventListener("change", () => {
    if (current) runSearch(current, { push: false });
    writeURL(urlState());
  });
}

examples.addEventListener("click", (event) => {
  const example = event.target.closest("button.example");
  if (!example) return;
  input.value = example.textContent;
  runSearch({ kind: "text", query: example.textContent });
});

moreButton.addEventListener("click", () => current && runSearch(current, { append: true }));

$("ui-lang").addEventListener("click", () => setUILanguage(uiLanguage() === "en" ? "zh" : "en"));
/** The toggle names the other language, in that language. */
function labelToggle() {
  $("ui-lang").lang = uiLanguage() === "en" ? "zh-CN" : "en";
}

onLanguageChange(() => {
  labelToggle();
  controls.render();
  results.refresh();
  detail.refresh();
  renderStatusMessage();
  showError(errorMessage);
  showSkipped(current?.response?.skipped);
});

document.addEventListener("keydown", (event) => {
  const typing = event.target.closest("input, textarea, select, [contenteditable]");
  if (event.key === "/" && !typing && !detail.isOpen && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    input.focus();
    input.select();
  } else if (event.key === "ArrowDown" && event.target === input) {
    if (results.focus()) event.preventDefault();
  }
});

window.addEventListener("popstate", () => applyURL(readURL()));

// --- start --------------------------------------------------------------------------------------

/** Restores a search (and an open asset) from the URL; the search reruns only when it changed. */
function applyURL(state) {
  const search = searchKey(state);
  if (search !== appliedSearch) {
    appliedSearch = search;
    controls.set({ algorithm: state.algorithm, mode: state.mode, language: state.lang });
    input.value = state.q;
    if (state.q) runSearch({ kind: "text", query: state.q }, { push: false });
    else if (state.similar) runSearch({ kind: "similar", asset: { asset_id: state.similar, name: state.similar } }, { push: false });
    else resetResults();
  }
  if (state.asset) {
    lastOpener = input;
    detail.open(state.asset);
  } else if (detail.isOpen) {
    detail.close();
  }
}

async function loadCapabilities() {
  try {
    const [health, spaces] = await Promise.all([api.health(), api.spaces().catch(() => null)]);
    controls.setCapabilities(health.algorithms, spaces);
    serverInfo = { count: health.assets ?? "?", spaces: health.algorithms.join(", ") };
  } catch (error) {
    serverProblem = { key: "errorPrefix", params: { message: errorText(error) } };
    showError(serverProblem);
  }
}

applyTranslations(document);
labelToggle();
showStatus("startHint");
await loadCapabilities();
applyURL(readURL());
