// The space, mode and query-language selectors, filled from GET /spaces (or /health's algorithm list when
// the server has no /spaces yet) and re-labelled when the UI language changes.
import { t } from "./i18n.js";

const MODES = [
  ["auto", "modeAuto"],
  ["inner", "modeInner"],
  ["cross", "modeCross"],
  ["hybrid", "modeHybrid"],
];
const LANGUAGES = [
  ["auto", "languageAuto"],
  ["en", "languageEn"],
  ["cn", "languageCn"],
];

function option(value, text, title) {
  const node = document.createElement("option");
  node.value = value;
  node.textContent = text;
  if (title) node.title = title;
  return node;
}

/** Owns the three <select>s; `spaces` is the /spaces answer or null, `algorithms` the /health list. */
export class SearchControls {
  constructor({ algorithm, mode, language }) {
    this.algorithm = algorithm;
    this.mode = mode;
    this.language = language;
    this.algorithms = ["lexical"];
    this.spaces = null;
    this.wanted = { algorithm: "auto", mode: "auto", language: "auto" };
    for (const [key, select] of Object.entries({ algorithm, mode, language })) {
      select.addEventListener("change", () => { this.wanted[key] = select.value; });
    }
    this.render();
  }

  /** Stores what the server can do and rebuilds the options, keeping the current choices. */
  setCapabilities(algorithms, spaces) {
    this.algorithms = algorithms?.length ? algorithms : ["lexical"];
    this.spaces = Array.isArray(spaces) ? spaces : null;
    this.render();
  }

  /** True when some indexed space has image vectors (cross-modal and image search can work). */
  get hasImageSpace() {
    if (!this.spaces) return null; // unknown until /spaces exists
    return this.spaces.some((space) => space.images);
  }

  describe(name) {
    const space = this.spaces?.find((item) => item.name === name);
    if (!space) return name === "lexical" ? t("spaceLexical") : name;
    const languages = (space.languages || []).map((code) => (code === "en" ? "EN" : "中文")).join("/");
    const parts = [name, space.dimension ? `${space.dimension}d` : "", languages, space.images ? "🖼" : ""];
    return parts.filter(Boolean).join(" · ");
  }

  title(name) {
    const space = this.spaces?.find((item) => item.name === name);
    if (!space) return "";
    const counts = Object.entries(space.counts || {}).map(([kind, count]) => `${kind}: ${count}`).join(", ");
    return [space.model_id, counts].filter(Boolean).join(" — ");
  }

  render() {
    const names = [...new Set(["lexical", ...this.algorithms, ...(this.spaces || []).map((space) => space.name)])];
    this.algorithm.replaceChildren(
      option("auto", t("spaceAuto"), t("spaceAutoTitle")),
      ...names.map((name) => option(name, this.describe(name), this.title(name))),
    );
    const noImages = this.hasImageSpace === false;
    this.mode.replaceChildren(...MODES.map(([value, key]) => {
      const node = option(value, t(key));
      if (value === "cross" && noImages) {
        node.textContent = `${t(key)} (${t("modeNeedsImages")})`;
      }
      return node;
    }));
    this.language.replaceChildren(...LANGUAGES.map(([value, key]) => option(value, t(key))));
    this.set(this.wanted);
  }

  /** Selects values (unknown ones show as auto; a choice not offered yet is kept until it is). */
  set({ algorithm, mode, language }) {
    this.wanted = { algorithm: algorithm || "auto", mode: mode || "auto", language: language || "auto" };
    const pick = (select, value) => {
      select.value = [...select.options].some((item) => item.value === value) ? value : "auto";
    };
    pick(this.algorithm, algorithm || "auto");
    pick(this.mode, mode || "auto");
    pick(this.language, language || "auto");
  }

  /** The current choices. */
  values() {
    return { algorithm: this.algorithm.value || "auto", mode: this.mode.value || "auto", language: this.language.value || "auto" };
  }
}
