import type { RequestHandler } from "express";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { OpenApiDocument } from "./openapi-document";

/**
 * In tests every JSON response is checked against the schema the contract gives for its
 * operation and status; a response that leaves the documented shape becomes a 500 naming the
 * difference, so that any test touching the endpoint fails.
 */
export function contractCheck(doc: OpenApiDocument): RequestHandler {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: "openapi" });

  return (req, res, next) => {
    const originalJson = res.json.bind(res);
    res.json = (body: unknown) => {
      const op = req.operation;
      if (!op || res.statusCode >= 400) return originalJson(body);
      const pointer = ["paths", op.pathTemplate, op.method, "responses", String(res.statusCode), "content", "application/json", "schema"]
        .map((p) => encodeURIComponent(p.replace(/~/g, "~0").replace(/\//g, "~1")))
        .join("/");
      let validate;
      try {
        validate = ajv.getSchema(`openapi#/${pointer}`);
      } catch {
        validate = undefined;
      }
      if (!validate) {
        const undocumented = res.statusCode;
        res.status(500);
        return originalJson({ contractViolation: `status ${undocumented} has no JSON schema for ${op.operationId}` });
      }
      if (!validate(body)) {
        req.log.error({ operationId: op.operationId, errors: validate.errors }, "response does not match the contract");
        res.status(500);
        return originalJson({ contractViolation: op.operationId, errors: validate.errors });
      }
      return originalJson(body);
    };
    next();
  };
}
