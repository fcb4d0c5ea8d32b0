import { readLines } from "./_lines.ts";

/** Runs `deno task NAME …` the way a user does (tasks/main.ts in a child process). */
export async function runTask(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../tasks/main.ts", import.meta.url).pathname, ...args],
    env: options.env,
    cwd: options.cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/**
 * Starts `deno task serve …` on a free port (`--port 0`, added here) and waits for the URL it
 * prints as its first line. The caller stops it (SIGTERM, then `await child.status`).
 */
export async function startServe(
  args: string[],
  options: { stderr?: "piped" | "null" } = {},
): Promise<{ child: Deno.ChildProcess; url: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../tasks/main.ts", import.meta.url).pathname,
      "serve",
      ...args,
      "--port",
      "0",
    ],
    stdout: "piped",
    stderr: options.stderr ?? "null",
  }).spawn();
  try {
    for await (const line of readLines(child.stdout)) return { child, url: JSON.parse(line).url };
  } catch (error) {
    child.kill();
    await child.status;
    throw error;
  }
  await child.status;
  throw new Error(`deno task serve ${args.join(" ")} exited before printing its URL`);
}
