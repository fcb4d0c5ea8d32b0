/**
 * The trainer (the M-step): a TensorFlow.js Qwen2/Llama decoder over HF model folders, losses
 * by name (sft, grpo, autocode), batches with prompt and tool output masked, and a training loop
 * with AdamW, clipping, warmup + cosine, accumulation, checkpoints and resume.
 *
 * @module
 */
export * from "./backend.ts";
export * from "./decoder.ts";
export * from "./records.ts";
export * from "./batch.ts";
export * from "./losses.ts";
export * from "./train.ts";
export * from "./curated_records.ts";
export * from "./records_jsonl.ts";
export * from "./on_policy.ts";
export * from "./checkpoint.ts";
