"""Compatibility test: a client written the way the original demo's `scripts/test_client.py` talks to its
FastAPI backend (requests; GET /health, POST /search/text with JSON {query, algorithm, language ("english" |
"chinese"), cross_modal, top_k}, POST /search/image with multipart `file` and query parameters; results read
from `response["results"]` with `asset_id, similarity, caption_en, caption_cn, objaverse_id, model_url`).

Where the original only printed what came back, this one asserts:
- the responses have the original's shape and fields;
- for every available algorithm (and `auto`), in English and — where the algorithm reads it — Chinese, a
  caption query finds its own asset in the top 5. Assets are sampled (fixed seed) among those whose caption
  no other asset shares, since identical captions cannot be told apart by any text query;
- cross-modal requests and image queries either answer with well-formed results or fail cleanly
  (a 4xx with the JSON error shape), never a 5xx.

    .venv/bin/python tests/compat/test_client.py --backend-url http://127.0.0.1:8000

Exit status 0 when every check passed.
"""
import argparse
import random
import sys

import requests

LANGUAGE_FIELD = {"english": "caption_en", "chinese": "caption_cn"}
ORIGINAL_FIELDS = ("asset_id", "similarity", "caption_en")  # the original client indexes these directly
SEED_QUERIES = ("chair", "table", "lamp", "bed", "door", "window", "shelf", "kitchen", "bath", "plant", "cabinet",
                "sofa", "desk", "light", "box", "car", "tree", "stairs", "tv", "bench")


class BackendTestClient:
    """The original client's calls, unchanged in spirit: plain requests, the same endpoints and fields."""

    def __init__(self, backend_url: str):
        self.backend_url = backend_url.rstrip("/")
        self.session = requests.Session()

    def health_check(self) -> dict:
        response = self.session.get(f"{self.backend_url}/health", timeout=10)
        response.raise_for_status()
        return response.json()

    def search_text(self, query: str, algorithm: str, language: str = "english", cross_modal: bool = False,
                    top_k: int = 10) -> requests.Response:
        payload = {"query": query, "algorithm": algorithm, "language": language, "cross_modal": cross_modal,
                   "top_k": top_k}
        return self.session.post(f"{self.backend_url}/search/text", json=payload, timeout=60)

    def search_image(self, name: str, data: bytes, algorithm: str, cross_modal: bool = False,
                     top_k: int = 10) -> requests.Response:
        files = {"file": (name, data, "image/png")}
        params = {"algorithm": algorithm, "cross_modal": cross_modal, "top_k": top_k}
        return self.session.post(f"{self.backend_url}/search/image", files=files, params=params, timeout=60)

    def spaces(self):
        response = self.session.get(f"{self.backend_url}/spaces", timeout=10)
        return response.json() if response.ok else None

    def thumbnail(self, asset_id: str) -> bytes | None:
        response = self.session.get(
            f"{self.backend_url}/assets/{requests.utils.quote(asset_id, safe='')}/thumbnail", timeout=30)
        return response.content if response.ok else None


class TestRunner:
    def __init__(self, client: BackendTestClient, samples: int, seed: int):
        self.client = client
        self.samples = samples
        self.random = random.Random(seed)
        self.failures: list[str] = []
        self.passes = 0
        self.shape_problems: set[str] = set()

    def check(self, condition: bool, name: str, detail: str = ""):
        if condition:
            self.passes += 1
            print(f"✓ {name}")
        else:
            self.failures.append(name)
            print(f"✗ {name}" + (f": {detail}" if detail else ""))

    def results_of(self, response: requests.Response, what: str) -> list[dict]:
        """The result list the way the original client reads it (`response.json()["results"]`)."""
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("results"), list):
            results = body["results"]
        else:
            # The original backend answers {"results": [...], "algorithm", ...}; its client calls
            # response.get("results"), which a bare list does not have. Noted once; the rest still runs.
            self.shape_problems.add(f"{what}: answered a {type(body).__name__}, not an object with \"results\"")
            results = body if isinstance(body, list) else []
        for result in results:
            missing = [field for field in ORIGINAL_FIELDS if field not in result]
            if missing:
                self.shape_problems.add(f"{what}: a result lacks {', '.join(missing)}")
            if not isinstance(result.get("similarity"), (int, float)):
                self.shape_problems.add(f"{what}: similarity is not a number")
        return results

    def clean_error(self, response: requests.Response) -> bool:
        """A refused request in the API's error shape: 4xx with {"error": {"code", "message"}}."""
        if not 400 <= response.status_code < 500:
            return False
        try:
            error = response.json().get("error", {})
        except ValueError:
            return False
        return bool(error.get("code")) and bool(error.get("message"))

    # --- sampling ---------------------------------------------------------------------------------

    def caption_pool(self) -> list[dict]:
        """Assets with captions, gathered through the API itself (the original read them from its dataset)."""
        seen: dict[str, dict] = {}
        for query in SEED_QUERIES:
            response = self.client.search_text(query, "lexical", "english", top_k=50)
            if response.ok:
                for result in self.results_of(response, "POST /search/text (lexical)"):
                    seen.setdefault(result["asset_id"], result)
        return sorted(seen.values(), key=lambda result: result["asset_id"])

    def unique_caption(self, asset: dict, field: str) -> bool:
        """True when no other asset has exactly this caption (checked with a lexical query for it)."""
        caption = (asset.get(field) or "").strip()
        if not caption:
            return False
        language = "english" if field == "caption_en" else "chinese"
        response = self.client.search_text(caption, "lexical", language, top_k=100)
        if not response.ok:
            return False
        results = self.results_of(response, "POST /search/text (lexical)")
        same = [r for r in results if (r.get(field) or "").strip().lower() == caption.lower()]
        return len(same) == 1 and same[0]["asset_id"] == asset["asset_id"]

    def sample(self, pool: list[dict], field: str) -> list[dict]:
        order = pool[:]
        self.random.shuffle(order)
        chosen = []
        for asset in order:
            if self.unique_caption(asset, field):
                chosen.append(asset)
            if len(chosen) == self.samples:
                break
        return chosen

    # --- tests --------------------------------------------------------------------------------------

    def run(self) -> int:
        try:
            health = self.client.health_check()
        except (requests.RequestException, ValueError) as error:
            print(f"✗ health check failed: {error}")
            return 1
        algorithms = list(health.get("algorithms") or [])
        self.check(bool(algorithms) and health.get("assets", 0) > 0, "GET /health lists algorithms and assets",
                   str(health))
        print(f"  status {health.get('status')}, {health.get('assets')} assets, algorithms {algorithms}")
        spaces = self.client.spaces()
        image_spaces = {space["name"] for space in spaces or [] if space.get("images")}

        pool = self.caption_pool()
        self.check(len(pool) >= 20, "enough captioned assets to sample from", f"{len(pool)} found")
        samples = {language: self.sample(pool, field) for language, field in LANGUAGE_FIELD.items()}
        for language, chosen in samples.items():
            print(f"  {language} samples: " + ", ".join(f"{a['asset_id']} “{a[LANGUAGE_FIELD[language]]}”" for a in chosen))
            self.check(len(chosen) == self.samples, f"{self.samples} assets with a unique {language} caption",
                       f"only {len(chosen)}")

        for algorithm in ["auto", *algorithms]:
            for language, chosen in samples.items():
                self.caption_finds_itself(algorithm, language, chosen)
            self.cross_modal(algorithm, samples["english"][:1], algorithm in image_spaces)
            if algorithm != "auto":
                self.image_query(algorithm, samples["english"][:1], algorithm in image_spaces)

        self.check(not self.shape_problems, "responses have the original demo's shape and fields",
                   "; ".join(sorted(self.shape_problems)))
        total = self.passes + len(self.failures)
        if self.failures:
            print(f"compat: {len(self.failures)} of {total} checks failed")
            return 1
        print(f"compat: all {total} checks passed")
        return 0

    def caption_finds_itself(self, algorithm: str, language: str, chosen: list[dict]):
        field = LANGUAGE_FIELD[language]
        ranks, misses = [], []
        for asset in chosen:
            response = self.client.search_text(asset[field], algorithm, language, top_k=5)
            if not response.ok:
                if language == "chinese" and response.status_code == 400 and self.clean_error(response) \
                        and response.json()["error"]["code"] == "unsupported":
                    print(f"  {algorithm} does not read Chinese: {response.json()['error']['message']}")
                    self.check(algorithm != "auto", f"{algorithm}: Chinese refused cleanly (unsupported)")
                    return
                misses.append(f"{asset['asset_id']}: HTTP {response.status_code} {response.text[:160]}")
                continue
            ids = [result["asset_id"] for result in self.results_of(response, f"POST /search/text ({algorithm})")]
            if asset["asset_id"] in ids:
                ranks.append(ids.index(asset["asset_id"]) + 1)
            else:
                misses.append(f"“{asset[field]}” ({asset['asset_id']}) → {ids}")
        print(f"  {algorithm}/{language}: ranks {ranks}")
        self.check(not misses and len(ranks) == len(chosen),
                   f"{algorithm}: {language} caption finds its own asset in the top 5 ({len(ranks)}/{len(chosen)})",
                   "; ".join(misses))

    def cross_modal(self, algorithm: str, chosen: list[dict], has_images: bool):
        if not chosen:
            return
        response = self.client.search_text(chosen[0]["caption_en"], algorithm, "english", cross_modal=True, top_k=5)
        if response.ok:
            results = self.results_of(response, f"POST /search/text cross_modal ({algorithm})")
            self.check(len(results) > 0, f"{algorithm}: cross-modal text → image answers with results")
        else:
            self.check(self.clean_error(response) and not has_images,
                       f"{algorithm}: cross-modal refused cleanly (no image vectors)",
                       f"HTTP {response.status_code} {response.text[:200]}")

    def image_query(self, algorithm: str, chosen: list[dict], has_images: bool):
        if not chosen:
            return
        image = self.client.thumbnail(chosen[0]["asset_id"])
        if image is None:
            self.check(False, f"{algorithm}: thumbnail of {chosen[0]['asset_id']} to query with")
            return
        response = self.client.search_image("query.png", image, algorithm, top_k=5)
        if response.ok:
            results = self.results_of(response, f"POST /search/image ({algorithm})")
            ids = [result["asset_id"] for result in results]
            print(f"  {algorithm}: image query by {chosen[0]['asset_id']}'s icon → rank "
                  f"{ids.index(chosen[0]['asset_id']) + 1 if chosen[0]['asset_id'] in ids else 'not in top 5'}")
            self.check(len(results) > 0, f"{algorithm}: image query answers with results")
        else:
            self.check(self.clean_error(response) and not has_images,
                       f"{algorithm}: image query refused cleanly (HTTP {response.status_code})",
                       f"HTTP {response.status_code} {response.text[:200]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend-url", default="http://localhost:8000")
    parser.add_argument("--num-tests", type=int, default=6, help="assets sampled per language (default 6)")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    print(f"compat client against {args.backend_url}")
    return TestRunner(BackendTestClient(args.backend_url), args.num_tests, args.seed).run()


if __name__ == "__main__":
    sys.exit(main())
