import { z } from "zod";
import { pageParams } from "../core/pagination";
import { uuid } from "../core/validation";
import { columnMappingSchema } from "./column-mapping";

export const statementImportQuery = z
  .object({
    courtId: uuid,
    layout: z.string().trim().min(1).max(60).optional(),
    mappingId: uuid.optional(),
    accountNumber: z.string().regex(/^[0-9]{8,32}$/, "an account number is 8 to 32 digits").optional(),
  })
  .strict();

/** The HTTP adapter hands a raw upload over as { file, contentType }. */
export const uploadBody = z
  .object({
    file: z.instanceof(Buffer),
    contentType: z.string().max(200).optional(),
  })
  .strict();

export const statementLinesQuery = z.object({ ...pageParams }).strict();

export const mappingCreateBody = z.object({ courtId: uuid, mapping: columnMappingSchema }).strict();
