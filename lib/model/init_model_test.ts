import { Tokenizer } from "@huggingface/tokenizers";
import { initModel } from "./init_model.ts";
import { loadModel } from "./load_model.ts";

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const config = {
  model_type: "qwen2",
  vocab_size: 128,
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
} as const;

Deno.test("initModel() writes the same HF folder for the same seed and a different one otherwise", async () => {
  const dirs = [await Deno.makeTempDir(), await Deno.makeTempDir(), await Deno.makeTempDir()];
  try {
    await initModel(config, { seed: 1, dir: dirs[0] });
    await initModel(config, { seed: 1, dir: dirs[1] });
    await initModel(config, { seed: 2, dir: dirs[2] });
    for (
      const file of [
        "config.json",
        "model.safetensors",
        "generation_config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "onnx/model.onnx",
      ]
    ) {
      const [a, b] = await Promise.all(dirs.slice(0, 2).map((d) => Deno.readFile(`${d}/${file}`)));
      assert(
        a.length > 0 && a.length === b.length && a.every((x, i) => x === b[i]),
        `${file} differs`,
      );
    }
    const [one, other] = await Promise.all([loadModel(dirs[0]), loadModel(dirs[2])]);
    const w = "model.layers.1.mlp.up_proj.weight";
    assert(one.weights.get(w)!.data[0] !== other.weights.get(w)!.data[0], "seed ignored");
    assert(one.config.eos_token_id !== undefined, "no eos_token_id in config.json");
    const generation = JSON.parse(await Deno.readTextFile(`${dirs[0]}/generation_config.json`));
    assert(generation.eos_token_id.includes(2), `eos ${generation.eos_token_id}`);
    const tok = new Tokenizer(
      JSON.parse(await Deno.readTextFile(`${dirs[0]}/tokenizer.json`)),
      JSON.parse(await Deno.readTextFile(`${dirs[0]}/tokenizer_config.json`)),
    );
    assert(tok.decode(tok.encode("2+2=4").ids) === "2+2=4", "tokenizer files broken");
  } finally {
    for (const d of dirs) await Deno.remove(d, { recursive: true });
  }
});

Deno.test("initModel() refuses a vocab smaller than the tokenizer", async () => {
  const dir = await Deno.makeTempDir();
  let message = "";
  try {
    await initModel({ ...config, vocab_size: 50 }, { seed: 1, dir });
  } catch (error) {
    message = (error as Error).message;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(message.startsWith("Cannot write model: vocab_size 50"), message);
});

Deno.test("initModel() draws matrices with the config's initializer_range", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const stdOf = (data: Float32Array) =>
      Math.sqrt(data.reduce((s, v) => s + v * v, 0) / data.length);
    const { weights } = await initModel({ ...config, initializer_range: 0.1 }, { seed: 1, dir });
    const measured = stdOf(weights.get("model.layers.0.mlp.up_proj.weight")!.data);
    assert(Math.abs(measured - 0.1) < 0.005, `std ${measured}, expected 0.1`);
    const written = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
    assert(written.initializer_range === 0.1, "initializer_range not written to config.json");
    const { weights: plain } = await initModel(config, { seed: 1, dir });
    const fallback = stdOf(plain.get("model.layers.0.mlp.up_proj.weight")!.data);
    assert(Math.abs(fallback - 0.02) < 0.001, `default std ${fallback}, expected 0.02`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
