import { z } from "zod";
import { loadPolicy, serveDefaults, servePolicy } from "../lib/policy/mod.ts";
import { defineTask } from "../lib/task/mod.ts";

/** `deno task serve`: an OpenAI-compatible HTTP server over a policy. */
export const serve = defineTask({
  name: "serve",
  description:
    "Serve a model over an OpenAI-compatible API (/v1/completions, /v1/chat/completions).",
  args: z.object({
    model: z.string().describe("model folder (onnx backend) or http(s) base URLs to proxy"),
    host: z.string().default(serveDefaults.hostname).describe("address to listen on"),
    port: z.number().int().min(0).max(65535).default(serveDefaults.port).describe(
      "port to listen on (0 = any free port)",
    ),
    maxQueue: z.number().int().positive().default(serveDefaults.maxQueue).describe(
      "requests handled at once; more get 503",
    ),
    maxBatch: z.number().int().positive().default(64).describe("sequences decoded together"),
    threads: z.number().int().min(0).default(0).describe("onnxruntime threads (0 = one per core)"),
    name: z.string().optional().describe("model id reported by /v1/models"),
    drainS: z.number().min(0).default(serveDefaults.drainS).describe(
      "on SIGTERM or Ctrl-C, seconds open requests may take to finish before they are cancelled",
    ),
  }),
  async run(args, ctx) {
    const policy = await loadPolicy(args.model, {
      onnx: { maxBatch: args.maxBatch, threads: args.threads, name: args.name },
    });
    const server = await servePolicy(policy, {
      hostname: args.host,
      port: args.port,
      maxQueue: args.maxQueue,
      modelName: args.name,
    });
    ctx.log.info(`serving ${args.name ?? policy.name} at ${server.url}`);
    ctx.print(JSON.stringify({ url: server.url, model: args.name ?? policy.name }));
    await new Promise((resolve) => {
      if (ctx.signal.aborted) resolve(undefined);
      ctx.signal.addEventListener("abort", resolve, { once: true });
    });
    ctx.log.info(
      `draining ${server.stats.inFlight} open requests for up to ${args.drainS} s, then cancelling them`,
    );
    await server.close({ drainMs: args.drainS * 1000 });
    await policy.close();
  },
});
