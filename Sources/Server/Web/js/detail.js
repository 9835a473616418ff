// The detail panel (a modal <dialog>): names, the 3D viewer, rendered views, metadata with caption sources,
// "find similar" and "download model". three.js is only loaded the first time a model is shown.
import * as api from "./api.js";
import { t, uiLanguage } from "./i18n.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function formatCentimetres(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Controls the #detail dialog. `onSimilar(asset)` runs "find similar"; `onClose()` after it closes. */
export class DetailPanel {
  constructor(dialog, { onSimilar, onClose }) {
    this.dialog = dialog;
    this.onSimilar = onSimilar;
    this.onClose = onClose;
    this.title = dialog.querySelector("#detail-title");
    this.subtitle = dialog.querySelector("#detail-subtitle");
    this.viewerHost = dialog.querySelector("#viewer");
    this.viewerStatus = dialog.querySelector("#viewer-status");
    this.viewerNote = dialog.querySelector("#viewer-note");
    this.resetButton = dialog.querySelector("#viewer-reset");
    this.views = dialog.querySelector("#views");
    this.meta = dialog.querySelector("#meta");
    this.similarButton = dialog.querySelector("#find-similar");
    this.download = dialog.querySelector("#download");
    this.asset = null;
    this.summary = null;
    this.viewer = null;
    this.viewerState = { key: "", params: {} };
    this.controller = null;

    dialog.querySelector("#detail-close").addEventListener("click", () => this.close());
    dialog.addEventListener("close", () => this.closed());
    // A click on the backdrop (outside the panel's box) closes it, as users expect from a drawer.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) this.close();
    });
    this.resetButton.addEventListener("click", () => this.viewer?.reset());
    this.similarButton.addEventListener("click", () => {
      if (this.asset || this.summary) this.onSimilar(this.asset ?? this.summary);
    });
  }

  get isOpen() {
    return this.dialog.open;
  }

  /** Opens the panel for an asset id; `summary` (a search result) fills the header while the detail loads. */
  async open(id, summary = null) {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.asset = null;
    this.summary = summary ?? { asset_id: id, name: id };
    this.renderHeader(this.summary);
    this.views.replaceChildren();
    this.meta.replaceChildren(element("div", "muted", t("detailLoading")));
    this.download.hidden = true;
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.querySelector("#detail-close").focus();
    try {
      const asset = await api.asset(id, controller.signal);
      if (controller.signal.aborted) return;
      this.asset = asset;
      this.render();
      await this.showModel(asset, controller.signal);
    } catch (error) {
      if (error.name === "AbortError") return;
      const message = error instanceof api.ApiError ? error.serverMessage || t("httpStatus", { status: error.status }) : error.message;
      this.meta.replaceChildren(element("p", "error-text", t("detailFailed", { message })));
      this.setViewerStatus("error", t("detailFailed", { message }));
    }
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  closed() {
    this.controller?.abort();
    this.viewer?.clear();
    this.onClose?.();
  }

  /** Re-renders the texts after a UI language switch. */
  refresh() {
    if (!this.dialog.open) return;
    if (this.asset) this.render();
    else if (this.summary) this.renderHeader(this.summary);
    const { key, params } = this.viewerState;
    if (key) this.setViewerStatus(this.viewerStatus.dataset.kind, t(key, params), key, params);
  }

  renderHeader(asset) {
    const en = asset.name || asset.asset_id;
    const zh = asset.name_zh || "";
    const zhFirst = uiLanguage() === "zh" && zh;
    this.title.textContent = zhFirst ? zh : en;
    this.title.lang = zhFirst ? "zh-CN" : "en";
    this.subtitle.textContent = zhFirst ? en : zh;
    this.subtitle.lang = zhFirst ? "en" : "zh-CN";
    this.subtitle.hidden = !zh;
  }

  render() {
    const asset = this.asset;
    this.renderHeader(asset);
    this.renderViews(asset);
    this.renderMeta(asset);
    if (asset.model_url) {
      this.download.href = asset.model_url;
      const stem = asset.asset_id.replace(/[^\w.-]+/g, "_");
      this.download.setAttribute("download", asset.model_format ? `${stem}.${asset.model_format}` : stem);
      this.download.hidden = false;
    } else {
      this.download.hidden = true;
    }
  }

  renderViews(asset) {
    const views = asset.views || [];
    if (!views.length) {
      this.views.replaceChildren(element("li", "muted", t("noViews")));
      return;
    }
    const name = asset.name || asset.asset_id;
    this.views.replaceChildren(...views.map((view) => {
      const item = element("li", "view");
      const figure = element("figure");
      const link = element("a");
      link.href = view.url;
      link.target = "_blank";
      link.rel = "noopener";
      const image = element("img");
      image.loading = "lazy";
      image.src = view.url;
      image.alt = t("viewAlt", { index: view.index, name });
      link.append(image);
      figure.append(link, element("figcaption", "", t("viewCaption", {
        index: view.index, azimuth: Math.round(view.azimuth), elevation: Math.round(view.elevation),
      })));
      item.append(figure);
      return item;
    }));
  }

  renderMeta(asset) {
    const rows = [];
    const add = (key, value, lang) => {
      if (value === undefined || value === null || value === "") return;
      const term = element("dt", "", t(key));
      const detail = element("dd");
      if (value instanceof Node) detail.append(value);
      else detail.textContent = value;
      if (lang) detail.lang = lang;
      rows.push(term, detail);
    };
    const categories = (uiLanguage() === "zh" ? [asset.category_zh, asset.category] : [asset.category, asset.category_zh])
      .filter(Boolean);
    add("fieldCategory", [...new Set(categories)].join(" · "));
    add("fieldLibrary", asset.library);
    add("fieldLicense", asset.license || t("unknown"));
    add("fieldCreator", asset.creator || t("unknown"));
    if (asset.dimensions) {
      const { width, depth, height } = asset.dimensions;
      add("fieldSize", `${[width, depth, height].map(formatCentimetres).join(" × ")} ${t("centimetres")}`);
    }
    if (asset.tags?.length) add("fieldTags", asset.tags.join(", "));
    add("fieldFormat", asset.model_format ? asset.model_format.toUpperCase() : null);
    add("fieldObjaverse", asset.objaverse_id);
    const id = element("code", "", asset.asset_id);
    add("fieldID", id);
    if (asset.captions?.length) {
      const list = element("ul", "captions");
      for (const caption of asset.captions) {
        const item = element("li");
        const text = element("span", "caption-text", caption.text);
        text.lang = caption.language === "cn" ? "zh-CN" : "en";
        item.append(element("span", "caption-lang", caption.language === "cn" ? "中文" : "EN"), text,
          element("span", "caption-source", t("captionSource", { source: caption.source })));
        list.append(item);
      }
      add("captions", list);
    }
    this.meta.replaceChildren(...rows);
  }

  setViewerStatus(kind, text, key = "", params = {}) {
    this.viewerState = { key, params };
    this.viewerStatus.dataset.kind = kind;
    this.viewerStatus.textContent = text;
    this.viewerStatus.hidden = !text;
    this.viewerHost.setAttribute("aria-busy", String(kind === "loading"));
    this.viewerHost.dataset.state = kind;
  }

  async showModel(asset, signal) {
    this.viewerNote.textContent = "";
    this.resetButton.disabled = true;
    delete this.viewerHost.dataset.kind;
    this.viewer?.clear();
    if (!asset.model_url) {
      this.setViewerStatus("error", t("viewerNoModel"), "viewerNoModel");
      return;
    }
    this.setViewerStatus("loading", t("viewerLoading"), "viewerLoading");
    let module;
    try {
      module = await import("./viewer.js");
      this.viewer ??= new module.ModelViewer(this.viewerHost);
      const shown = await this.viewer.load(asset.model_url, { format: asset.model_format, signal });
      if (signal.aborted) return;
      this.viewerHost.dataset.kind = shown.kind;
      this.setViewerStatus("ready", "");
      this.resetButton.disabled = false;
      if (shown.grey) this.viewerNote.textContent = t("viewerGrey");
    } catch (error) {
      if (error.name === "AbortError" || signal.aborted) return;
      this.viewer?.clear();
      this.setViewerStatus("error", ...this.describeViewerError(error));
    }
  }

  /** [text, key, params] for a viewer failure, so the message can be re-translated. */
  describeViewerError(error) {
    const fail = (message) => [t("viewerFailed", { message }), "viewerFailed", { message }];
    switch (error?.reason) {
      case "webgl": return [t("viewerNoWebGL"), "viewerNoWebGL", {}];
      case "http": return fail(t("httpStatus", { status: error.detail }));
      case "unsupported": return fail(t("viewerUnsupported", { type: error.detail }));
      case "empty": return fail(t("viewerEmpty"));
      case "parse": return fail(t("viewerParse", { format: error.detail, detail: error.message }));
      default: return fail(error?.message || String(error));
    }
  }
}
