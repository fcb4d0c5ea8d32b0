import {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  writeSafetensors,
} from "./safetensors.ts";

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

Deno.test("safetensors round trip keeps names, shapes and every float bit", async () => {
  const tensors = new Map([
    ["model.embed_tokens.weight", {
      shape: [3, 2],
      data: new Float32Array([1, -2, 3.5, 1e-30, -0, 7]),
    }],
    ["model.norm.weight", { shape: [2], data: new Float32Array([Math.PI, -1e20]) }],
    ["scalar", { shape: [], data: new Float32Array([42]) }],
  ]);
  const dir = await Deno.makeTempDir();
  try {
    await writeSafetensors(`${dir}/m.safetensors`, tensors);
    const back = await readSafetensors(`${dir}/m.safetensors`);
    assert(back.size === 3, `expected 3 tensors, got ${back.size}`);
    for (const [name, t] of tensors) {
      const b = back.get(name)!;
      assert(b.shape.join() === t.shape.join(), `${name}: shape ${b.shape}`);
      assert(
        new Uint32Array(b.data.buffer).join() === new Uint32Array(t.data.buffer).join(),
        `${name}: data differs`,
      );
    }
    // The header is 8-byte aligned, as the reference writer produces.
    const bytes = await Deno.readFile(`${dir}/m.safetensors`);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert(headerLength % 8 === 0, `header length ${headerLength} not aligned`);
    assert(
      new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)).includes('"format":"pt"'),
      "no metadata",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decodeSafetensors() reads F16 and BF16 as float32", () => {
  const f16 = new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001]); // 1, -2, ~0.3333, smallest subnormal
  const bf16 = new Uint16Array([0x3f80, 0xc040]); // 1, -3
  const header = JSON.stringify({
    a: { dtype: "F16", shape: [4], data_offsets: [0, 8] },
    b: { dtype: "BF16", shape: [2], data_offsets: [8, 12] },
  });
  const h = new TextEncoder().encode(header);
  const bytes = new Uint8Array(8 + h.length + 12);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(h.length), true);
  bytes.set(h, 8);
  bytes.set(new Uint8Array(f16.buffer), 8 + h.length);
  bytes.set(new Uint8Array(bf16.buffer), 8 + h.length + 8);
  const out = decodeSafetensors(bytes);
  const a = out.get("a")!.data;
  assert(a[0] === 1 && a[1] === -2 && Math.abs(a[2] - 0.33325) < 1e-4, `F16 wrong: ${a}`);
  assert(a[3] === 2 ** -24, `F16 subnormal wrong: ${a[3]}`);
  assert(out.get("b")!.data.join() === "1,-3", `BF16 wrong: ${out.get("b")!.data}`);
});

Deno.test("encodeSafetensors() refuses data that does not fill the shape", () => {
  let message = "";
  try {
    encodeSafetensors(new Map([["w", { shape: [2, 2], data: new Float32Array(3) }]]));
  } catch (error) {
    message = (error as Error).message;
  }
  assert(message.startsWith("Cannot encode tensor w"), `unexpected: ${message}`);
});
