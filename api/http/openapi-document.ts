import fs from "node:fs";
import YAML from "yaml";
import { projectFile } from "../core/project-files";

export type OpenApiDocument = {
  paths: Record<string, Record<string, { operationId?: string } & Record<string, unknown>>>;
  [key: string]: unknown;
};

let cached: OpenApiDocument | undefined;

/** The hand-written contract, read once; it drives routing, /openapi.json, /docs and response checks. */
export function loadOpenApiDocument(): OpenApiDocument {
  if (!cached) {
    const file = projectFile("openapi", "openapi.yaml");
    cached = YAML.parse(fs.readFileSync(file, "utf8")) as OpenApiDocument;
  }
  return cached;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OperationRef {
  operationId: string;
  method: HttpMethod;
  /** The template as written in the document: `/v1/cases/{id}`. */
  pathTemplate: string;
  /** The same for express: `/v1/cases/:id`. */
  expressPath: string;
}

export function listOperations(doc: OpenApiDocument): OperationRef[] {
  const result: OperationRef[] = [];
  for (const [pathTemplate, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op?.operationId) continue;
      result.push({
        operationId: op.operationId,
        method,
        pathTemplate,
        expressPath: pathTemplate.replace(/\{([A-Za-z0-9_]+)\}/g, ":$1"),
      });
    }
  }
  return result;
}
