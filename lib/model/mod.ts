/**
 * The model folder in the HF layout, shared by inference and training: config.json schema,
 * safetensors I/O, a reference forward pass, random init, the character-level tokenizer and the
 * ONNX exporter of the Qwen2/Llama decoder.
 *
 * @module
 */
export * from "./config.ts";
export * from "./safetensors.ts";
export * from "./reference.ts";
export * from "./char_tokenizer.ts";
export * from "./onnx_export.ts";
export * from "./onnx_weights.ts";
export * from "./init_model.ts";
export * from "./write_model.ts";
export * from "./load_model.ts";
