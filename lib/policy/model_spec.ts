/** Where a `--model` spec points: a local model folder, or OpenAI-compatible servers. */
export type ModelSpec =
  | { backend: "onnx"; dir: string }
  | { backend: "openai"; baseUrls: string[] };

/**
 * Parses a `--model` spec, the one place that reads them: `openai:URL[,URL…]` or bare http(s)
 * URLs select the openai backend, anything else is a model folder. URLs are taken as people write
 * them: `http://host:8000`, `http://host:8000/`, `http://host:8000/v1` and `http://host:8000/v1/`
 * all become the API base `http://host:8000/v1` (vLLM, SGLang and llama.cpp serve under /v1). A
 * URL with another path (a proxy's prefix such as `https://gateway/openai/v1`) is kept as given.
 *
 * @example
 * ```ts
 * import { parseModelSpec } from "./model_spec.ts";
 * const spec = parseModelSpec("openai:http://gpu1:8000,http://gpu2:8000/v1/");
 * if (spec.backend !== "openai" || spec.baseUrls[1] !== "http://gpu2:8000/v1") throw new Error();
 * ```
 */
export function parseModelSpec(spec: string): ModelSpec {
  const trimmed = spec.trim();
  const remote = trimmed.startsWith("openai:") ? trimmed.slice("openai:".length) : trimmed;
  if (!/^https?:\/\//i.test(remote)) {
    if (trimmed.startsWith("openai:")) {
      throw new RangeError(
        `Cannot parse --model "${spec}": openai: must be followed by http(s) URLs`,
      );
    }
    if (trimmed === "") throw new RangeError("Cannot parse --model: the spec is empty");
    return { backend: "onnx", dir: trimmed };
  }
  const baseUrls = remote.split(",").map((s) => s.trim()).filter(Boolean).map((raw) =>
    apiBaseUrl(raw, spec)
  );
  return { backend: "openai", baseUrls };
}

/** `http://host:8000[/][v1][/]` → `http://host:8000/v1`; other paths are kept without the slash. */
export function apiBaseUrl(raw: string, spec = raw): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RangeError(`Cannot parse --model "${spec}": "${raw}" is not a URL`);
  }
  if (url.search || url.hash) {
    throw new RangeError(
      `Cannot parse --model "${spec}": a server URL takes no query or fragment ("${raw}")`,
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path === "" ? "/v1" : path;
  return url.href.replace(/\/+$/, "");
}
