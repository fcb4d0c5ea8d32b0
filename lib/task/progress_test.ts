import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { createProgress } from "./progress.ts";

Deno.test("createProgress() prints plain lines with done/total, rate and the metric when not a TTY", async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const progress = createProgress(10, { label: "eval", tty: false, plainEveryMs: 10, stream });
  for (let i = 0; i < 4; i++) {
    progress.tick(1, { acc: (i + 1) / 4 });
    await new Promise((r) => setTimeout(r, 15));
  }
  progress.stop();
  const text = lines.join("");
  assert.match(text, /eval .* 4\/10 \| [\d.]+\/s \| ETA \S+ \| acc 1\n/);
  assert.ok(!text.includes("\u001b["), "no escape codes in plain mode");
});
