import type { z } from "zod";

/** The command-line shape of one field of a task's argument schema. */
export interface FieldSpec {
  /** Key in the parsed object (camelCase). */
  key: string;
  /** Flag on the command line (kebab-case, without dashes). */
  flag: string;
  kind: "string" | "number" | "boolean" | "enum";
  /** Repeated flag collected into an array. */
  multiple: boolean;
  choices?: readonly string[];
  description?: string;
  defaultValue?: unknown;
  required: boolean;
}

/** camelCase -> kebab-case, the one mapping between keys and flags. */
export function toFlag(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** kebab-case -> camelCase, so config files may use either spelling. */
export function toKey(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

type AnyDef = { type: string; [k: string]: unknown };

function defOf(schema: z.ZodType): AnyDef {
  return (schema as unknown as { _zod: { def: AnyDef } })._zod.def;
}

/** Reads the flags a z.object() schema describes: kinds, arrays, enums, defaults, descriptions. */
export function fieldSpecs(schema: z.ZodObject): FieldSpec[] {
  return Object.entries(schema.shape).map(([key, field]) => fieldSpec(key, field as z.ZodType));
}

function fieldSpec(key: string, field: z.ZodType): FieldSpec {
  let description = field.description;
  let defaultValue: unknown;
  let required = true;
  let multiple = false;
  let inner: z.ZodType = field;
  for (;;) {
    const def = defOf(inner);
    description ??= inner.description;
    if (def.type === "default" || def.type === "prefault") {
      defaultValue = def.defaultValue;
      required = false;
      inner = def.innerType as z.ZodType;
    } else if (def.type === "optional" || def.type === "nullable") {
      required = false;
      inner = def.innerType as z.ZodType;
    } else if (def.type === "pipe") {
      inner = def.in as z.ZodType;
    } else if (def.type === "array" && !multiple) {
      multiple = true;
      inner = def.element as z.ZodType;
    } else break;
  }
  const def = defOf(inner);
  const spec: FieldSpec = {
    key,
    flag: toFlag(key),
    kind: "string",
    multiple,
    description,
    defaultValue,
    required,
  };
  switch (def.type) {
    case "string":
      break;
    case "number":
    case "int":
      spec.kind = "number";
      break;
    case "boolean":
      spec.kind = "boolean";
      break;
    case "enum":
      spec.kind = "enum";
      spec.choices = (inner as z.ZodEnum).options.map(String);
      break;
    case "literal":
      spec.kind = "enum";
      spec.choices = (def.values as unknown[]).map(String);
      break;
    default:
      throw new TypeError(`Cannot derive a flag for "${key}": unsupported schema type ${def.type}`);
  }
  return spec;
}
