import { z } from "zod";
import { validationFailed, type FieldError } from "./errors";

/** zod's issues as the contract's field errors; an unknown field is named by its own path. */
export function zodIssuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: [...issue.path, key].join("."),
        message: "unknown field: not part of this request",
      }));
    }
    return [{ path: issue.path.map(String).join("."), message: issue.message }];
  });
}

export type InputPart = "path" | "query" | "body" | "header";

/** Parses one part of a request; field paths are prefixed with the part (`body.items.0.amount`). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, part: InputPart): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const errors = zodIssuesToFieldErrors(result.error.issues).map((e) => ({
      ...e,
      path: e.path ? `${part}.${e.path}` : part,
    }));
    throw validationFailed(errors);
  }
  return result.data;
}

export const bodyRequired = () =>
  validationFailed([{ path: "body", message: "missing" }], "A JSON body is required");

/** A UUID id in a path or body; a malformed one is a 400 validation_failed. */
export const uuid = z.uuid({ message: "must be a UUID" });

export const idParams = z.object({ id: uuid }).strict();

/** What an operation without path parameters, query or body receives. */
export const noInput = z.object({}).strict();
