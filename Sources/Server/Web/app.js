// Minimal search page: one box, a result grid with names in English and Chinese and thumbnails.
const form = document.getElementById("search");
const input = document.getElementById("query");
const algorithmSelect = document.getElementById("algorithm");
const statusLine = document.getElementById("status");
const results = document.getElementById("results");

function setStatus(text, isError = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", isError);
}

function card(result) {
  const item = document.createElement("li");
  item.className = "card";
  const image = document.createElement("img");
  image.loading = "lazy";
  image.alt = result.name;
  if (result.thumbnail_url) image.src = result.thumbnail_url;
  const meta = document.createElement("div");
  meta.className = "meta";
  const en = document.createElement("div");
  en.className = "en";
  en.textContent = result.name;
  const zh = document.createElement("div");
  zh.className = "zh";
  zh.textContent = result.name_zh || result.caption_cn || "—";
  const small = document.createElement("div");
  small.className = "small";
  small.textContent = `${result.category || ""} · ${result.similarity.toFixed(3)}`;
  meta.append(en, zh, small);
  item.append(image, meta);
  return item;
}

async function loadAlgorithms() {
  try {
    const health = await (await fetch("/health")).json();
    for (const name of ["auto", ...health.algorithms]) {
      const option = document.createElement("option");
      option.value = option.textContent = name;
      algorithmSelect.append(option);
    }
    setStatus(`${health.assets} assets indexed`);
  } catch {
    setStatus("The server is not reachable.", true);
  }
}

async function search(query) {
  results.replaceChildren();
  if (!query.trim()) return;
  setStatus("Searching…");
  const started = performance.now();
  try {
    const response = await fetch("/search/text", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, algorithm: algorithmSelect.value || "auto", top_k: 24, envelope: true }),
    });
    const body = await response.json();
    if (!response.ok) {
      setStatus(body.error ? body.error.message : `Error ${response.status}`, true);
      return;
    }
    const ms = Math.round(performance.now() - started);
    setStatus(body.results.length ? `${body.results.length} results in ${ms} ms (${body.algorithm})`
                                  : "No results. Try another word or the other language.");
    results.append(...body.results.map(card));
  } catch (error) {
    setStatus(`Search failed: ${error.message}`, true);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  search(input.value);
});

await loadAlgorithms();
const initial = new URL(location.href).searchParams.get("q");
if (initial) {
  input.value = initial;
  search(initial);
}
