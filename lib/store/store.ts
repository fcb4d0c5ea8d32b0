import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { dirname } from "node:path";
import { migrations, SCHEMA_VERSION } from "./migrations.ts";

/** Default location of the store, relative to the working directory. */
export const DEFAULT_DB_PATH = "runs/tocode.duckdb";

/** Options of {@linkcode openStore}. */
export interface OpenStoreOptions {
  /** Opens read-only (no migration); several readers may share a file. */
  readOnly?: boolean;
  /** Applies migrations only up to this version (tests of migration). */
  migrateTo?: number;
}

/** Values bound to `$1, $2, …` placeholders. */
export type Params = DuckDBValue[];

/**
 * One DuckDB file holding every run: runs, problems, rollouts, metrics and what later layers add.
 * The only module that writes run data. Close it when done (a process may hold one writer).
 */
export class Store {
  private constructor(
    /** Path of the DuckDB file (":memory:" for a throwaway store). */
    readonly path: string,
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Opens (creating if needed) and migrates a store file. */
  static async open(path: string, options: OpenStoreOptions = {}): Promise<Store> {
    if (path !== ":memory:" && !options.readOnly) {
      await Deno.mkdir(dirname(path), { recursive: true });
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(
        path,
        options.readOnly ? { access_mode: "READ_ONLY" } : {},
      );
    } catch (error) {
      throw new Error(`Cannot open store: ${firstLine(error)} (${path})`);
    }
    const store = new Store(path, instance, await instance.connect());
    try {
      // Fold the WAL into the file rarely while a run writes (checkpoints re-compress whole
      // tables and cost 3x the append time in the store benchmark); close() checkpoints.
      if (!options.readOnly) await store.run("SET checkpoint_threshold = '1GB'");
      await store.migrate(options);
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  /** The schema version of the open file. */
  async schemaVersion(): Promise<number> {
    const tables = await this.query<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'schema_version'",
    );
    if (tables[0].n === 0) return 0;
    const rows = await this.query<{ v: number | null }>(
      "SELECT max(version) AS v FROM schema_version",
    );
    return rows[0].v ?? 0;
  }

  private async migrate(options: OpenStoreOptions): Promise<void> {
    const current = await this.schemaVersion();
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `Cannot open store: the file has schema version ${current}, newer than this tocode's ${SCHEMA_VERSION}; upgrade tocode (${this.path})`,
      );
    }
    if (options.readOnly) {
      if (current < SCHEMA_VERSION) {
        throw new Error(
          `Cannot open store read-only: the file has schema version ${current} and needs migrating to ${SCHEMA_VERSION}; open it once for writing (${this.path})`,
        );
      }
      return;
    }
    const target = options.migrateTo ?? SCHEMA_VERSION;
    if (current === 0) {
      await this.run(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)",
      );
    }
    let migrated = false;
    for (const migration of migrations) {
      if (migration.version <= current || migration.version > target) continue;
      await this.transaction(async () => {
        await this.run(migration.sql);
        await this.run("INSERT INTO schema_version (version, description) VALUES ($1, $2)", [
          migration.version,
          migration.description,
        ]);
      });
      migrated = true;
    }
    // DuckDB 1.5 cannot replay an ALTER TABLE … ADD COLUMN from the WAL when the table has a
    // DEFAULT current_timestamp column (the file no longer opens: "GetDefaultDatabase with no
    // default database set"), so a migration goes into the main file at once.
    if (migrated) await this.run("CHECKPOINT");
  }

  /** Runs a statement (or several separated by `;` when there are no params). */
  async run(sql: string, params?: Params): Promise<void> {
    await this.connection.run(sql, params);
  }

  /** Runs a query and returns its rows as plain JSON-safe objects (BIGINT as strings). */
  async query<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as unknown as T[];
  }

  /** Runs `body` in a transaction: committed if it resolves, rolled back if it throws. */
  async transaction<T>(body: () => Promise<T>): Promise<T> {
    await this.run("BEGIN TRANSACTION");
    try {
      const result = await body();
      await this.run("COMMIT");
      return result;
    } catch (error) {
      await this.run("ROLLBACK");
      throw error;
    }
  }

  /** Writes a checkpoint so the WAL is folded into the file (also done on close). */
  async checkpoint(): Promise<void> {
    await this.run("CHECKPOINT");
  }

  /** Closes the connection and the database file. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Opens the store at `path` (default `runs/tocode.duckdb`), migrating it to the current schema. */
export function openStore(
  path: string = DEFAULT_DB_PATH,
  options: OpenStoreOptions = {},
): Promise<Store> {
  return Store.open(path, options);
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split("\n")[0];
}
