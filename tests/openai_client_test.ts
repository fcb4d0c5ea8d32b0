/**
 * `deno task serve` against a client no one here wrote: the official `openai` npm package.
 */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startServe } from "./_run_task.ts";
import { tinyModel } from "./_tiny_model.ts";

Deno.test("the openai npm client talks to `deno task serve`: completions, chat, streaming and n", async () => {
  const model = await tinyModel(7);
  const { child: server, url } = await startServe(["--model", model, "--name", "tiny"]);
  try {
    const client = new OpenAI({ baseURL: url, apiKey: "unused", maxRetries: 0 });

    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id), ["tiny"]);

    const completion = await client.completions.create({
      model: "tiny",
      prompt: "1+1=",
      max_tokens: 8,
      n: 3,
      seed: 5,
      temperature: 1,
      logprobs: 1,
    });
    assert.equal(completion.object, "text_completion");
    assert.deepEqual(completion.choices.map((c) => c.index), [0, 1, 2]);
    for (const c of completion.choices) {
      assert.ok(["stop", "length"].includes(c.finish_reason), c.finish_reason);
      assert.equal(c.logprobs!.token_logprobs!.length, c.logprobs!.tokens!.length);
    }
    assert.ok(completion.usage!.completion_tokens > 0);

    const chat = await client.chat.completions.create({
      model: "tiny",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 6,
      n: 2,
      seed: 1,
      logprobs: true,
    });
    assert.equal(chat.object, "chat.completion");
    assert.equal(chat.choices.length, 2);
    assert.equal(chat.choices[0].message.role, "assistant");
    assert.equal(typeof chat.choices[0].message.content, "string");
    assert.ok(chat.choices[0].logprobs!.content!.length > 0);

    // Streaming gives the same text as the same seeded request without it.
    const whole = await client.chat.completions.create({
      model: "tiny",
      messages: [{ role: "user", content: "count" }],
      max_tokens: 12,
      seed: 9,
    });
    const stream = await client.chat.completions.create({
      model: "tiny",
      messages: [{ role: "user", content: "count" }],
      max_tokens: 12,
      seed: 9,
      stream: true,
    });
    let streamed = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      assert.equal(chunk.object, "chat.completion.chunk");
      streamed += chunk.choices[0]?.delta?.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(streamed, whole.choices[0].message.content);
    assert.equal(finish, whole.choices[0].finish_reason);

    const textStream = await client.completions.create({
      model: "tiny",
      prompt: "2+2=",
      max_tokens: 6,
      seed: 3,
      stream: true,
    });
    let text = "";
    for await (const chunk of textStream) text += chunk.choices[0]?.text ?? "";
    const same = await client.completions.create({
      model: "tiny",
      prompt: "2+2=",
      max_tokens: 6,
      seed: 3,
    });
    assert.equal(text, same.choices[0].text);

    // The client's typed errors, with vLLM's bodies: an unknown model, an empty prompt.
    await assert.rejects(
      () => client.completions.create({ model: "gpt-4", prompt: "x", max_tokens: 2 }),
      (e: unknown) =>
        e instanceof OpenAI.NotFoundError &&
        e.message.includes("The model `gpt-4` does not exist."),
    );
    await assert.rejects(
      () => client.completions.create({ model: "tiny", prompt: "", max_tokens: 2 }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && /non-empty/.test(e.message),
    );
  } finally {
    server.kill("SIGTERM");
    await server.status;
  }
});
