import { createOnnxPolicy } from "./onnx_policy.ts";
import { createOpenAIPolicy } from "./openai_policy.ts";
import { servePolicy } from "./server.ts";
import { tinyModel } from "./_test_model.ts";

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** A tiny model served on a free loopback port, and the onnx policy behind it. */
async function setup(maxQueue = 64) {
  const { dir } = await tinyModel(8);
  const local = await createOnnxPolicy(dir, { name: "tiny" });
  const server = await servePolicy(local, { port: 0, maxQueue });
  return {
    local,
    server,
    async close() {
      await server.close();
      await local.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("openai policy against serve: completions and chat equal the local policy, with logprobs", async () => {
  const s = await setup();
  try {
    const remote = await createOpenAIPolicy({ baseUrls: [s.server.url] });
    assert(remote.name === "tiny", `model ${remote.name}`);
    const requests = [
      { prompt: "7*8=", maxNewTokens: 12, seed: 3, logprobs: true, stop: ["zz"] },
      {
        messages: [{ role: "user" as const, content: "hi" }],
        maxNewTokens: 10,
        seed: 4,
        logprobs: true,
      },
    ];
    const [viaHttp, direct] = [await remote.generate(requests), await s.local.generate(requests)];
    for (let i = 0; i < requests.length; i++) {
      const a = viaHttp[i].completions[0];
      const b = direct[i].completions[0];
      assert(
        a.text === b.text,
        `request ${i}: ${JSON.stringify(a.text)} vs ${JSON.stringify(b.text)}`,
      );
      assert(
        a.finishReason === b.finishReason,
        `request ${i}: ${a.finishReason} vs ${b.finishReason}`,
      );
      assert(a.completionTokens === b.completionTokens, `request ${i}: token counts differ`);
      assert(
        a.logprobs!.every((x, k) => Math.abs(x - b.logprobs![k]) < 1e-4),
        `request ${i}: logprobs`,
      );
      assert(a.tokens!.join("").length >= a.text.length, `request ${i}: tokens`);
    }
  } finally {
    await s.close();
  }
});

Deno.test("openai policy against serve: n > 1 returns n seeded samples in order", async () => {
  const s = await setup();
  try {
    const remote = await createOpenAIPolicy({ baseUrls: [s.server.url], model: "tiny" });
    const request = { prompt: "Let", maxNewTokens: 16, n: 3, seed: 11, temperature: 1.3 };
    const [a] = await remote.generate([request]);
    const [b] = await s.local.generate([request]);
    assert(a.completions.length === 3, `${a.completions.length} completions`);
    assert(
      a.completions.map((c) => c.text).join("|") === b.completions.map((c) => c.text).join("|"),
      "order or seed lost",
    );
    assert(new Set(a.completions.map((c) => c.text)).size > 1, "samples identical");
  } finally {
    await s.close();
  }
});

Deno.test("serve streams SSE chunks whose deltas join to the full text, then [DONE]", async () => {
  const s = await setup();
  try {
    for (const chat of [false, true]) {
      const body = {
        ...(chat ? { messages: [{ role: "user", content: "go" }] } : { prompt: "go" }),
        max_tokens: 20,
        seed: 5,
        n: 2,
      };
      const path = chat ? "/chat/completions" : "/completions";
      const post = (extra: object) =>
        fetch(`${s.server.url}${path}`, {
          method: "POST",
          body: JSON.stringify({ ...body, ...extra }),
        });
      const plain = await (await post({})).json();
      const response = await post({ stream: true });
      assert(response.headers.get("content-type") === "text/event-stream", "not SSE");
      const events = (await response.text()).split("\n\n").filter((e) => e.startsWith("data: "));
      assert(
        events.at(-1) === "data: [DONE]",
        `last ${events.at(-1)}`,
      );
      const texts = ["", ""];
      const finishes: string[] = [];
      for (const event of events.slice(0, -1)) {
        const c = JSON.parse(event.slice(6)).choices[0];
        texts[c.index] += (chat ? c.delta.content : c.text) ?? "";
        if (c.finish_reason) finishes[c.index] = c.finish_reason;
      }
      for (const i of [0, 1]) {
        const want = chat ? plain.choices[i].message.content : plain.choices[i].text;
        assert(
          texts[i] === want,
          `chat=${chat} choice ${i}: ${JSON.stringify(texts[i])} vs ${JSON.stringify(want)}`,
        );
        assert(
          finishes[i] === plain.choices[i].finish_reason,
          `chat=${chat} finish ${finishes[i]}`,
        );
      }
    }
  } finally {
    await s.close();
  }
});

Deno.test("openai policy retries 503s from a full serve queue until every request succeeds", async () => {
  const s = await setup(1);
  try {
    let retries = 0;
    const remote = await createOpenAIPolicy({
      baseUrls: [s.server.url],
      model: "tiny",
      retryBaseMs: 10,
      retryMaxMs: 50,
      maxRetries: 100,
      onRetry: (info) => {
        assert(info.reason.includes("503"), info.reason);
        retries++;
      },
    });
    const requests = Array.from(
      { length: 6 },
      (_, i) => ({ prompt: `q${i}`, maxNewTokens: 24, seed: i }),
    );
    const results = await remote.generate(requests);
    const direct = await s.local.generate(requests);
    assert(
      results.every((r, i) => r.completions[0].text === direct[i].completions[0].text),
      "wrong text",
    );
    assert(
      s.server.stats.rejected > 0 && retries === s.server.stats.rejected,
      `${retries} retries, ${s.server.stats.rejected} rejected`,
    );
  } finally {
    await s.close();
  }
});

Deno.test("openai policy balances requests over two servers by fewest in flight", async () => {
  const a = await setup();
  const b = await setup();
  try {
    const remote = await createOpenAIPolicy({
      baseUrls: [a.server.url, b.server.url],
      model: "tiny",
    });
    const requests = Array.from({ length: 8 }, (_, i) => ({ prompt: `p${i}`, maxNewTokens: 8 }));
    await remote.generate(requests);
    assert(
      a.server.stats.served === 4 && b.server.stats.served === 4,
      `${a.server.stats.served}/${b.server.stats.served}`,
    );
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("serve answers malformed requests with 400 and the client fails at once on them", async () => {
  const s = await setup();
  try {
    const post = (path: string, body: string) =>
      fetch(`${s.server.url}${path}`, { method: "POST", body });
    const cases: [string, string, string][] = [
      ["/completions", "{not json", "Cannot parse request body"],
      ["/completions", JSON.stringify({ max_tokens: 3 }), "prompt"],
      [
        "/chat/completions",
        JSON.stringify({ messages: [{ role: "wizard", content: "x" }] }),
        "messages.0.role",
      ],
      ["/completions", JSON.stringify({ prompt: "x", temperature: "hot" }), "temperature"],
    ];
    for (const [path, body, expected] of cases) {
      const response = await post(path, body);
      const json = await response.json();
      assert(response.status === 400, `${body}: status ${response.status}`);
      assert(json.error.message.includes(expected), `${body}: ${json.error.message}`);
    }
    const missing = await fetch(`${s.server.url}/nothing`);
    assert(missing.status === 404, `status ${missing.status}`);
    await missing.body?.cancel();
    let retries = 0;
    const remote = await createOpenAIPolicy({
      baseUrls: [s.server.url],
      model: "tiny",
      onRetry: () => retries++,
    });
    let message = "";
    try {
      await remote.generate([{ prompt: "x", temperature: 1.9, topP: 1 }], { temperature: 1.9 });
      await remote.generate([{ prompt: "x", seed: 1.5 as number }]);
    } catch (error) {
      message = (error as Error).message;
    }
    assert(message.startsWith("Cannot generate:"), `unexpected: ${message}`);
    const bad = await createOpenAIPolicy({
      baseUrls: [s.server.url],
      model: "tiny",
      onRetry: () => retries++,
    });
    message = "";
    try {
      // temperature 3 passes the client's schema but not the server's (max 2): a 400.
      await bad.generate([{ prompt: "x", temperature: 3 }]);
    } catch (error) {
      message = (error as Error).message;
    }
    assert(message.includes("server answered 400") && message.includes("temperature"), message);
    assert(retries === 0, `${retries} retries of a 400`);
  } finally {
    await s.close();
  }
});
