// The shareable part of the page state in the URL: ?q=&algorithm=&mode=&lang= (query language),
// &similar=<asset id> for "find similar", &asset=<asset id> for the open detail panel.

const KEYS = ["q", "similar", "algorithm", "mode", "lang", "asset"];
const DEFAULTS = { algorithm: "auto", mode: "auto", lang: "auto" };

/** The state in the current URL, with defaults for what is absent. */
export function readURL() {
  const params = new URL(location.href).searchParams;
  const state = {};
  for (const key of KEYS) state[key] = (params.get(key) || "").trim() || DEFAULTS[key] || "";
  return state;
}

/** Writes `state` to the URL, leaving defaults out; `push` adds a history entry (Back undoes it). */
export function writeURL(state, { push = false } = {}) {
  const url = new URL(location.href);
  for (const key of KEYS) {
    const value = state[key];
    if (value && value !== DEFAULTS[key]) url.searchParams.set(key, value);
    else url.searchParams.delete(key);
  }
  if (url.href === location.href) return;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}
