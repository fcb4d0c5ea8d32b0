/**
 * `deno task serve` under load and abuse, on 127.0.0.1 only, bounded in count and time: 100
 * concurrent mixed requests, prompts over the context, a boundless max_tokens, clients that leave
 * mid-request, and SIGTERM under load. The server must stay up under its memory bound, answer
 * every later well-formed request, leak no queue slot, and exit within its drain bound.
 */
import assert from "node:assert/strict";
import { readLines } from "./_lines.ts";
import { startServe } from "./_run_task.ts";

const BASE = new URL("../models/tocode-base", import.meta.url).pathname;
/** The bound on the server's peak resident memory that README's serve table states. */
const PEAK_RSS_BOUND = 1.5 * 2 ** 30;
const MAX_QUEUE = 8;
const DRAIN_S = 2;

/** Peak resident memory of a process (VmHWM), in bytes. */
async function peakRss(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

Deno.test("serve under load and abuse stays up, bounded, leak-free, and drains on SIGTERM", async () => {
  const { child: server, url } = await startServe(
    ["--model", BASE, "--max-queue", String(MAX_QUEUE), "--drain-s", String(DRAIN_S)],
    { stderr: "piped" },
  );
  const stderr = (async () => {
    let text = "";
    for await (const line of readLines(server.stderr)) text += line + "\n";
    return text;
  })();
  let exited = false;
  try {
    const post = (path: string, body: unknown, signal?: AbortSignal) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal,
      });
    const wellFormed = async () => {
      const r = await post("/completions", {
        prompt: "Problem: 2+2?\nSolution: ",
        max_tokens: 8,
        temperature: 0,
      });
      assert.equal(r.status, 200);
      const body = await r.json();
      assert.equal(body.choices.length, 1);
      assert.ok(body.usage.completion_tokens > 0);
    };

    // 100 concurrent mixed requests: the queue is 8, so clients see 503 and retry, as they do.
    const mixed = Array.from({ length: 100 }, async (_, i) => {
      const kind = i % 4;
      const body = kind === 0
        ? { prompt: `Problem: ${i}+1?\nSolution: `, max_tokens: 24, n: 3, seed: i }
        : kind === 1
        ? { messages: [{ role: "user", content: `What is ${i}*2?` }], max_tokens: 24, seed: i }
        : kind === 2
        ? { prompt: `Problem: ${i}-1?\nSolution: `, max_tokens: 24, stream: true, seed: i }
        : { messages: [{ role: "user", content: `${i}` }], max_tokens: 24, n: 2, stream: true };
      const path = "messages" in body ? "/chat/completions" : "/completions";
      for (let attempt = 0;; attempt++) {
        const r = await post(path, body);
        if (r.status === 503 && attempt < 400) {
          await r.body?.cancel();
          await new Promise((res) => setTimeout(res, 25));
          continue;
        }
        if (r.status !== 200) assert.fail(`${r.status}: ${await r.text()}`);
        if (body.stream) {
          const text = await r.text();
          assert.ok(text.trimEnd().endsWith("data: [DONE]"), text.slice(-80));
        } else {
          const json = await r.json();
          assert.equal(json.choices.length, body.n ?? 1);
        }
        return;
      }
    });
    await Promise.all(mixed);

    // Prompts at 2×, 10× and 1,000× the context (1,024 positions; a character is a token).
    for (const factor of [2, 10, 1000]) {
      const prompt = "7".repeat(1024 * factor);
      for (const path of ["/completions", "/chat/completions"]) {
        const body = path === "/completions"
          ? { prompt, max_tokens: 4 }
          : { messages: [{ role: "user", content: prompt }], max_tokens: 4, stream: true };
        const r = await post(path, body);
        assert.equal(r.status, 400, `${factor}× ${path}`);
        const json = await r.json();
        assert.match(json.error.message, /maximum context length is 1024 tokens/);
        assert.equal(json.error.code, 400);
      }
    }

    // max_tokens 1e9 ends at the context: its budget is cut to what fits beside the prompt.
    const boundless = await post("/completions", {
      prompt: "Problem: 1+1?\nSolution: ",
      max_tokens: 1e9,
      temperature: 0,
      stop: [],
    });
    assert.equal(boundless.status, 200);
    const bj = await boundless.json();
    assert.ok(bj.usage.prompt_tokens + bj.usage.completion_tokens <= 1024);

    // Clients that leave: non-streaming and streaming requests with boundless budgets.
    for (let i = 0; i < 2 * MAX_QUEUE; i++) {
      const leave = new AbortController();
      const pending = post(
        i % 2 ? "/completions" : "/chat/completions",
        i % 2
          ? { prompt: "Count: 1 2 3", max_tokens: 1e9, temperature: 1, seed: i }
          : { messages: [{ role: "user", content: "go" }], max_tokens: 1e9, stream: true },
        leave.signal,
      );
      if (i % 2 === 0) {
        const r = await pending;
        const reader = r.body!.getReader();
        await reader.read();
        await reader.cancel();
      } else {
        setTimeout(() => leave.abort(), 100);
        await pending.then((r) => r.body?.cancel(), () => {});
      }
    }
    // No queue slot leaked: a full queue's worth of requests at once is answered, none refused.
    await new Promise((res) => setTimeout(res, 500));
    const full = await Promise.all(
      Array.from(
        { length: MAX_QUEUE },
        () => post("/completions", { prompt: "Problem: 3+3?\nSolution: ", max_tokens: 8 }),
      ),
    );
    assert.deepEqual(full.map((r) => r.status), Array(MAX_QUEUE).fill(200));
    await Promise.all(full.map((r) => r.body?.cancel()));
    await wellFormed();

    const peak = await peakRss(server.pid);
    console.log(`serve's peak RSS under this load: ${(peak / 2 ** 20).toFixed(0)} MiB`);
    assert.ok(peak < PEAK_RSS_BOUND, `peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);

    // SIGTERM under load: open long requests are cancelled after the drain bound; exit follows.
    const open = Array.from(
      { length: 4 },
      (_, i) =>
        post("/completions", {
          prompt: "Count:",
          max_tokens: 1e9,
          temperature: 1,
          seed: i,
          stop: [],
        })
          .then((r) => r.text(), (e) => String(e)),
    );
    await new Promise((res) => setTimeout(res, 300));
    const stopped = performance.now();
    server.kill("SIGTERM");
    const status = await server.status;
    exited = true;
    const seconds = (performance.now() - stopped) / 1000;
    assert.ok(seconds < DRAIN_S + 3, `exited ${seconds.toFixed(1)} s after SIGTERM`);
    assert.ok(!status.success || status.code === 130, `exit ${status.code}`);
    await Promise.all(open);
    assert.match(await stderr, /draining \d+ open requests for up to 2 s/);
  } finally {
    if (!exited) {
      server.kill("SIGKILL");
      await server.status;
    }
  }
});
