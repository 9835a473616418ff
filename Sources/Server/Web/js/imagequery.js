// Image queries: a file picker, drag-and-drop anywhere on the page, and pasting an image. Shows the chosen
// image as a chip in the search box and hands the File to `onImage`.
import { t } from "./i18n.js";

const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = ["image/png", "image/jpeg", "image/webp"];

function firstImage(items) {
  for (const item of items || []) {
    const file = item instanceof File ? item : item.kind === "file" ? item.getAsFile() : null;
    if (file && file.type.startsWith("image/")) return file;
  }
  return null;
}

/** Wires the image controls; `onImage(file)` searches, `onClear()` returns to text search, `onError(text)`. */
export class ImageQuery {
  constructor({ button, input, chip, overlay, onImage, onClear, onError }) {
    this.input = input;
    this.chip = chip;
    this.overlay = overlay;
    this.onImage = onImage;
    this.onClear = onClear;
    this.onError = onError;
    this.file = null;
    this.previewURL = null;
    this.dragDepth = 0;

    button.addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      if (input.files?.length) this.accept(input.files[0]);
    });
    chip.querySelector("button").addEventListener("click", () => this.clear(true));

    window.addEventListener("dragenter", (event) => {
      if (!this.carriesFiles(event)) return;
      event.preventDefault();
      this.dragDepth += 1;
      overlay.hidden = false;
    });
    window.addEventListener("dragover", (event) => {
      if (!this.carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    });
    window.addEventListener("dragleave", () => {
      this.dragDepth = Math.max(0, this.dragDepth - 1);
      if (this.dragDepth === 0) overlay.hidden = true;
    });
    window.addEventListener("drop", (event) => {
      if (!this.carriesFiles(event)) return;
      event.preventDefault();
      this.dragDepth = 0;
      overlay.hidden = true;
      const file = firstImage(event.dataTransfer.files) ?? event.dataTransfer.files[0];
      if (file) this.accept(file);
    });
    document.addEventListener("paste", (event) => {
      const file = firstImage(event.clipboardData?.items);
      if (!file) return; // plain text pastes into the search box as usual
      event.preventDefault();
      this.accept(file);
    });
  }

  carriesFiles(event) {
    return [...(event.dataTransfer?.types || [])].includes("Files");
  }

  /** Validates and shows `file`, then asks for a search. */
  accept(file) {
    const name = file.name || "image";
    if (!TYPES.includes(file.type) && !file.type.startsWith("image/")) {
      this.onError(t("notAnImage", { name }));
      return;
    }
    if (file.size > MAX_BYTES) {
      this.onError(t("imageTooLarge", { name }));
      return;
    }
    this.file = file;
    if (this.previewURL) URL.revokeObjectURL(this.previewURL);
    this.previewURL = URL.createObjectURL(file);
    this.chip.querySelector("img").src = this.previewURL;
    this.chip.querySelector(".chip-name").textContent = name;
    this.chip.title = t("imageChip", { name });
    this.chip.hidden = false;
    this.onImage(file);
  }

  /** Drops the image query; `notify` tells the page (the user pressed ×). */
  clear(notify = false) {
    const had = Boolean(this.file);
    this.file = null;
    this.input.value = "";
    this.chip.hidden = true;
    if (this.previewURL) URL.revokeObjectURL(this.previewURL);
    this.previewURL = null;
    if (notify && had) this.onClear();
  }
}
