// The result grid: one button per asset (thumbnail, names in both languages, score, matched view, badges
// for the spaces that found it) and arrow-key navigation with a roving tabindex.
import { t, uiLanguage } from "./i18n.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function formatScore(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "–";
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(3);
}

/** The name in the UI language first, the other language second (either may be missing). */
export function namesOf(result) {
  const en = result.name || result.caption_en || result.asset_id;
  const zh = result.name_zh || "";
  return uiLanguage() === "zh" && zh ? { primary: zh, secondary: en, primaryLang: "zh-CN", secondaryLang: "en" }
                                      : { primary: en, secondary: zh, primaryLang: "en", secondaryLang: "zh-CN" };
}

function categoryOf(result) {
  return (uiLanguage() === "zh" ? result.category_zh || result.category : result.category || result.category_zh) || "";
}

/** Per-space scores, lexical first, then spaces by name (the server's key order is not stable). */
function sortedScores(result) {
  return Object.entries(result.scores || {}).sort(([a], [b]) =>
    a === "lexical" ? -1 : b === "lexical" ? 1 : a.localeCompare(b));
}

function card(result, index) {
  const names = namesOf(result);
  const button = element("button", "card");
  button.type = "button";
  button.dataset.index = String(index);
  button.dataset.assetId = result.asset_id;
  button.tabIndex = -1;

  const thumb = element("span", "thumb");
  if (result.thumbnail_url) {
    const image = element("img");
    image.loading = "lazy";
    image.decoding = "async";
    image.alt = "";
    image.src = result.thumbnail_url;
    image.addEventListener("error", () => thumb.classList.add("missing"), { once: true });
    thumb.append(image);
  } else {
    thumb.classList.add("missing");
  }
  if (result.matched_view && result.matched_view.url) {
    const view = result.matched_view;
    const inset = element("span", "matched-view");
    inset.title = t("matchedViewTitle", {
      index: view.index, azimuth: Math.round(view.azimuth), elevation: Math.round(view.elevation),
    });
    const image = element("img");
    image.loading = "lazy";
    image.alt = "";
    image.src = view.url;
    inset.append(image, element("span", "matched-label", t("matchedView", { index: view.index })));
    thumb.append(inset);
  }

  const text = element("span", "card-text");
  const primary = element("span", "name-primary", names.primary);
  primary.lang = names.primaryLang;
  text.append(primary);
  if (names.secondary && names.secondary !== names.primary) {
    const secondary = element("span", "name-secondary", names.secondary);
    secondary.lang = names.secondaryLang;
    text.append(secondary);
  }
  const line = element("span", "card-line");
  line.append(element("span", "category", categoryOf(result)));
  const scores = sortedScores(result);
  const score = element("span", "score", `${t("score")} ${formatScore(result.similarity)}`);
  score.title = t("scoreTitle", {
    score: formatScore(result.similarity),
    list: scores.map(([space, value]) => `${space} ${formatScore(value)}`).join(", ") || t("unknown"),
  });
  line.append(score);
  text.append(line);
  if (scores.length) {
    const badges = element("span", "badges");
    for (const [space, value] of scores) {
      const badge = element("span", `badge ${space.includes(":image") ? "badge-image" : space === "lexical" ? "badge-lexical" : ""}`, space);
      badge.title = `${space}: ${formatScore(value)}`;
      badges.append(badge);
    }
    text.append(badges);
  }
  button.append(thumb, text);
  button.setAttribute("aria-label", [names.primary, names.secondary, categoryOf(result),
    `${t("score")} ${formatScore(result.similarity)}`, scores.map(([space]) => space).join(", ")].filter(Boolean).join(", "));
  return button;
}

/** Renders results into `list` (a <ul>) and handles keyboard navigation; `onOpen(result, button)` opens one. */
export class ResultsView {
  constructor(list, { onOpen, onLeaveTop }) {
    this.list = list;
    this.onOpen = onOpen;
    this.onLeaveTop = onLeaveTop;
    this.results = [];
    this.active = 0;
    list.addEventListener("click", (event) => {
      const button = event.target.closest("button.card");
      if (!button) return;
      this.setActive(Number(button.dataset.index), false);
      this.onOpen(this.results[Number(button.dataset.index)], button);
    });
    list.addEventListener("keydown", (event) => this.handleKey(event));
  }

  /** Replaces the results (or appends a page when `append`). */
  render(results, { append = false } = {}) {
    const start = append ? this.results.length : 0;
    this.results = append ? this.results.concat(results) : results.slice();
    if (!append) {
      this.list.replaceChildren();
      this.active = 0;
    }
    const items = results.map((result, offset) => {
      const item = element("li", "result");
      item.append(card(result, start + offset));
      return item;
    });
    this.list.append(...items);
    this.updateTabStops();
  }

  /** Re-renders in place (after a UI language switch), keeping the active card. */
  refresh() {
    const active = this.active;
    const hadFocus = this.list.contains(document.activeElement);
    this.render(this.results);
    this.setActive(active, hadFocus);
  }

  clear() {
    this.render([]);
  }

  buttons() {
    return [...this.list.querySelectorAll("button.card")];
  }

  updateTabStops() {
    this.buttons().forEach((button, index) => { button.tabIndex = index === this.active ? 0 : -1; });
  }

  setActive(index, focus = true) {
    const buttons = this.buttons();
    if (!buttons.length) return;
    this.active = Math.max(0, Math.min(buttons.length - 1, index));
    this.updateTabStops();
    if (focus) {
      buttons[this.active].focus();
      buttons[this.active].scrollIntoView({ block: "nearest" });
    }
  }

  /** Focuses the active card (or the first); returns false when there is none. */
  focus() {
    if (!this.results.length) return false;
    this.setActive(this.active, true);
    return true;
  }

  /** Cards per row, measured from the layout so it follows the responsive grid. */
  columns() {
    const buttons = this.buttons();
    if (buttons.length < 2) return 1;
    const top = buttons[0].getBoundingClientRect().top;
    const count = buttons.findIndex((button) => button.getBoundingClientRect().top > top + 2);
    return count === -1 ? buttons.length : count;
  }

  handleKey(event) {
    if (!event.target.matches("button.card") || event.altKey || event.ctrlKey || event.metaKey) return;
    const columns = this.columns();
    const last = this.results.length - 1;
    const moves = {
      ArrowRight: this.active + 1,
      ArrowLeft: this.active - 1,
      ArrowDown: this.active + columns,
      ArrowUp: this.active - columns,
      Home: 0,
      End: last,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const target = moves[event.key];
    if (event.key === "ArrowUp" && target < 0) {
      this.onLeaveTop?.();
      return;
    }
    this.setActive(Math.max(0, Math.min(last, target)));
  }
}
