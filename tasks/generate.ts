import { z } from "zod";
import { loadPolicy } from "../lib/policy/mod.ts";
import { defineTask } from "../lib/task/mod.ts";

/** `deno task generate`: one prompt in, completions out as JSON. */
export const generate = defineTask({
  name: "generate",
  description: "Complete one prompt with a model folder or server and print the result as JSON.",
  args: z.object({
    model: z.string().describe("model folder (onnx backend) or http(s) base URLs (openai backend)"),
    prompt: z.string().describe("text to complete"),
    chat: z.boolean().default(false).describe("send the prompt as a user message (chat template)"),
    maxTokens: z.number().int().positive().default(256).describe("new tokens at most"),
    temperature: z.number().min(0).default(0).describe("0 = greedy"),
    topP: z.number().gt(0).max(1).default(1).describe("nucleus mass kept"),
    topK: z.number().int().min(0).default(0).describe("0 = no top-k cut"),
    seed: z.number().int().optional().describe("seed for sampling"),
    stop: z.array(z.string()).default([]).describe("stop string (repeatable)"),
    n: z.number().int().positive().default(1).describe("completions to sample"),
    logprobs: z.boolean().default(false).describe("include per-token log-probs"),
  }),
  async run(args, ctx) {
    const policy = await loadPolicy(args.model);
    try {
      const [result] = await policy.generate([
        {
          ...(args.chat
            ? { messages: [{ role: "user" as const, content: args.prompt }] }
            : { prompt: args.prompt }),
          maxNewTokens: args.maxTokens,
          temperature: args.temperature,
          topP: args.topP,
          topK: args.topK,
          seed: args.seed,
          stop: args.stop,
          n: args.n,
          logprobs: args.logprobs,
        },
      ], { signal: ctx.signal });
      ctx.print(JSON.stringify({ model: policy.name, completions: result.completions }));
    } finally {
      await policy.close();
    }
  },
});
