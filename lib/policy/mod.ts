/**
 * Policies: whatever writes the solutions. One interface, `generate(requests, options)`, and two
 * backends: a local onnxruntime engine with continuous batching, and a client of OpenAI-compatible
 * servers. Plus the tokenizer, the sampler and an OpenAI-compatible server over any policy.
 *
 * @module
 */
export * from "./types.ts";
export * from "./tokenizer.ts";
export * from "./sampler.ts";
export * from "./text_tracker.ts";
export * from "./onnx_policy.ts";
export * from "./openai_policy.ts";
export * from "./server.ts";
export * from "./load_policy.ts";
export * from "./errors.ts";
export * from "./model_spec.ts";
