import type { onnx as OnnxTypes } from "onnx-proto";
import onnxProto from "onnx-proto";
import { modelConfigSchema } from "./config.ts";
import { randomWeights } from "./init_model.ts";
import { exportOnnx } from "./onnx_export.ts";
import { onnxProducer, onnxProducerName, readOnnxWeights } from "./onnx_weights.ts";

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const onnx = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;

Deno.test("readOnnxWeights() gives back every checkpoint weight of an export, bit for bit", () => {
  for (const tied of [true, false]) {
    const config = modelConfigSchema.parse({
      model_type: "qwen2",
      vocab_size: 30,
      hidden_size: 16,
      intermediate_size: 24,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      tie_word_embeddings: tied,
    });
    const weights = randomWeights(config, { seed: 3 });
    const back = readOnnxWeights(exportOnnx(config, weights))!;
    for (const [name, t] of weights) {
      const got = back.get(name);
      assert(got, `${name} missing`);
      assert(got.shape.join() === t.shape.join(), `${name}: shape ${got.shape} vs ${t.shape}`);
      assert(got.data.every((x, i) => x === t.data[i]), `${name}: values differ`);
    }
  }
});

Deno.test("onnxProducerName() reads the producer from a file's first bytes; other exporters' files give no weights", () => {
  const config = modelConfigSchema.parse({
    model_type: "llama",
    vocab_size: 12,
    hidden_size: 8,
    intermediate_size: 16,
    num_hidden_layers: 1,
    num_attention_heads: 2,
  });
  const bytes = exportOnnx(config, randomWeights(config, { seed: 1 }));
  assert(onnxProducerName(bytes.subarray(0, 64)) === onnxProducer, "producer not found");
  assert(onnxProducerName(bytes.subarray(0, 5)) === null, "a cut name must give null");
  const model = onnx.ModelProto.decode(bytes);
  model.producerName = "pytorch";
  const other = onnx.ModelProto.encode(model).finish();
  assert(onnxProducerName(other) === "pytorch", "other producer");
  assert(readOnnxWeights(other) === null, "weights read from another exporter's file");
});
