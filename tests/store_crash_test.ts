import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../lib/store/mod.ts";
import { readLines } from "./_lines.ts";

Deno.test("a writer SIGKILLed mid-stream leaves every committed row intact and no partial one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tocode-crash-" });
  const path = join(dir, "crash.duckdb");
  const batch = 100;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./fixtures/write_rollouts.ts", import.meta.url).pathname,
      path,
      `${batch}`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let committed = 0;
  for await (const line of readLines(child.stdout)) {
    committed = Number(line.split(" ")[1]);
    if (committed >= 2000) break;
  }
  child.kill("SIGKILL");
  const status = await child.status;
  assert.equal(status.signal, "SIGKILL");

  const store = await openStore(path);
  const [{ n, bad }] = await store.query<{ n: number; bad: number }>(
    `SELECT count(*)::INT AS n,
            count(*) FILTER (WHERE length(completion) <> 2048
              OR NOT starts_with(completion, reward::INT::VARCHAR || ':')
              OR json_extract_string(turns, '$[0].text') <> reward::INT::VARCHAR)::INT AS bad
     FROM rollouts WHERE run_id = 'crash'`,
  );
  assert.ok(n >= committed, `${n} rows after reopen, ${committed} were committed`);
  assert.equal(n % batch, 0, "a partial batch became visible");
  assert.equal(bad, 0, "a row was torn");
  const [{ max }] = await store.query<{ max: number }>(
    "SELECT max(reward)::INT AS max FROM rollouts",
  );
  assert.equal(max, n - 1, "rows are not a prefix of what was written");
  store.close();
});
