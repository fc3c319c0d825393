import type { Request } from "express";
import { z } from "zod";
import { AppError, FieldError, validationFailed } from "../core/errors";

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

function parseWith<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const errors = zodIssuesToFieldErrors(result.error.issues).map((e) => ({
      ...e,
      path: e.path ? `${where}.${e.path}` : where,
    }));
    throw validationFailed(errors);
  }
  return result.data;
}

/** Parse the JSON body with a strict zod schema; a missing body is an empty object. */
export function parseBody<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  if (req.body === undefined) {
    throw new AppError("validation_failed", "A JSON body is required", { errors: [{ path: "body", message: "missing" }] });
  }
  return parseWith(schema, req.body, "body");
}

export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return parseWith(schema, req.query, "query");
}

export function parseParams<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return parseWith(schema, req.params, "path");
}

/** A UUID id in a path or body; a malformed one is a 400 validation_failed. */
export const uuid = z.uuid({ message: "must be a UUID" });

export const idParams = z.object({ id: uuid }).strict();
