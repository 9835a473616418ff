// Thin client for the AssetRetrieval3D HTTP API. Every call returns parsed JSON or throws an ApiError that
// carries the HTTP status and the server's {"error":{"code","message"}} when it sent one.

/** A failed request: `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.serverMessage = message;
  }

  /** True when the route itself is missing on this server (an older build), not e.g. a missing asset. */
  get routeMissing() {
    if (this.status === 405 || this.status === 501) return true;
    return this.status === 404 && (!this.code || this.serverMessage === "no such route");
  }
}

/** The API path of an asset; ids may contain "/" and are percent-encoded as one segment. */
export function assetPath(id) {
  return `/assets/${encodeURIComponent(id)}`;
}

async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "unreachable", "");
  }
  if (!response.ok) {
    let code;
    let message;
    try {
      const body = await response.json();
      code = body?.error?.code;
      message = body?.error?.message;
    } catch {
      // Not JSON (e.g. a route this server does not have): only the status is known.
    }
    throw new ApiError(response.status, code, message);
  }
  return response.json();
}

/** Results of any search call in one shape: `algorithm` is what answered, `language` the query's. */
function normalise(body, page) {
  return {
    results: body.results ?? [],
    algorithm: body.answered_by ?? body.algorithm ?? "",
    language: body.query_language ?? "",
    page: body.page ?? page,
    has_more: Boolean(body.has_more),
    skipped: body.skipped ?? {},
  };
}

/** `GET /health`. */
export function health(signal) {
  return request("/health", { signal });
}

/** `GET /spaces`, or null when this server does not have the route yet. */
export async function spaces(signal) {
  try {
    return await request("/spaces", { signal });
  } catch (error) {
    if (error instanceof ApiError && error.routeMissing) return null;
    throw error;
  }
}

/** `POST /search/text`; `params` = {query, algorithm, language, mode, top_k, page}. */
export async function searchText(params, signal) {
  const body = { query: params.query, algorithm: params.algorithm || "auto", top_k: params.top_k };
  if (params.page) body.page = params.page;
  if (params.language && params.language !== "auto") body.language = params.language;
  if (params.mode && params.mode !== "auto") {
    body.mode = params.mode;
    body.cross_modal = params.mode === "cross";
  }
  const result = await request("/search/text", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  return normalise(result, params.page ?? 0);
}

/** `POST /search/image` with the image as multipart field `file`; `params` = {algorithm, mode, top_k, page}. */
export async function searchImage(file, params, signal) {
  const query = new URLSearchParams({ algorithm: params.algorithm || "auto", top_k: String(params.top_k) });
  if (params.page) query.set("page", String(params.page));
  if (params.mode && params.mode !== "auto") {
    query.set("mode", params.mode);
    query.set("cross_modal", String(params.mode === "cross"));
  }
  const form = new FormData();
  form.append("file", file, file.name || "query.png");
  const result = await request(`/search/image?${query}`, { method: "POST", body: form, signal });
  return normalise(result, params.page ?? 0);
}

/** `GET /assets/{id}/similar`: assets near this one, itself excluded. */
export async function similar(id, params, signal) {
  const query = new URLSearchParams({ algorithm: params.algorithm || "auto", top_k: String(params.top_k) });
  const result = await request(`${assetPath(id)}/similar?${query}`, { signal });
  return normalise(result, 0);
}

/** `GET /assets/{id}`. */
export function asset(id, signal) {
  return request(assetPath(id), { signal });
}
