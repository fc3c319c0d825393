import { z } from "zod";
import { positiveMoney } from "../core/money";
import { pageParams } from "../core/pagination";
import type { Schemas } from "../core/schemas";

export const courtCreateBody = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "1 to 32 letters, digits, _ or -"),
    name: z.string().trim().min(1).max(200),
  })
  .strict() satisfies z.ZodType<Schemas["CourtCreate"], unknown>;

export const courtListQuery = z.object({ ...pageParams }).strict();

export const bankAccountBody = z
  .object({
    bankName: z.string().trim().min(1).max(200),
    accountName: z.string().trim().min(1).max(200),
    accountNumber: z.string().regex(/^[0-9]{8,32}$/, "8 to 32 digits, no blanks"),
  })
  .strict();

const deadlineBand = z
  .object({
    upTo: positiveMoney.optional(),
    days: z.number().int().min(1).max(30),
    kind: z.enum(["calendar", "working"]),
  })
  .strict();

const approvalLevel = z.object({ above: positiveMoney, levels: z.number().int().min(2).max(5) }).strict();

/** What the statute allows at most; a local deadline must be stricter (or equal). */
export const STATUTORY_DISBURSE_DAYS = 30;
/** Twenty working days are four weeks: never more than the statutory 30 calendar days. */
export const MAX_LOCAL_WORKING_DAYS = 20;

export const courtUpdateBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    masterAccount: bankAccountBody.nullable().optional(),
    /** The court's fee account (诉讼费专户), which execution fee items pay (issue 14). */
    feeAccount: bankAccountBody.nullable().optional(),
    virtualAccountPrefix: z.string().regex(/^[0-9]{4,12}$/, "4 to 12 digits").nullable().optional(),
    disbursementDeadlines: z
      .array(deadlineBand)
      .max(10)
      .superRefine((bands, ctx) => {
        bands.forEach((b, i) => {
          const last = i === bands.length - 1;
          if (last && b.upTo !== undefined) ctx.addIssue({ code: "custom", path: [i, "upTo"], message: "the last band has no upTo: it covers every larger amount" });
          if (!last && b.upTo === undefined) ctx.addIssue({ code: "custom", path: [i, "upTo"], message: "every band but the last needs upTo" });
          const previous = bands[i - 1]?.upTo;
          if (previous && b.upTo && !b.upTo.gt(previous)) ctx.addIssue({ code: "custom", path: [i, "upTo"], message: "bands must be in ascending upTo" });
          if (b.kind === "calendar" && b.days > STATUTORY_DISBURSE_DAYS) ctx.addIssue({ code: "custom", path: [i, "days"], message: `longer than the statutory ${STATUTORY_DISBURSE_DAYS} days` });
          if (b.kind === "working" && b.days > MAX_LOCAL_WORKING_DAYS) ctx.addIssue({ code: "custom", path: [i, "days"], message: `more than ${MAX_LOCAL_WORKING_DAYS} working days can be longer than the statutory ${STATUTORY_DISBURSE_DAYS} days` });
        });
      })
      .optional(),
    unidentifiedClaimWorkingDays: z.number().int().min(1).max(30).optional(),
    approvalLevels: z
      .array(approvalLevel)
      .max(5)
      .superRefine((levels, ctx) => {
        levels.forEach((l, i) => {
          const previous = levels[i - 1];
          if (previous && !l.above.gt(previous.above)) ctx.addIssue({ code: "custom", path: [i, "above"], message: "levels must be in ascending above" });
          if (previous && l.levels <= previous.levels) ctx.addIssue({ code: "custom", path: [i, "levels"], message: "a higher amount needs more approvals than a lower one" });
        });
      })
      .optional(),
    chargeExecutionFee: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "send at least one setting to change" });
export type CourtUpdateInput = z.output<typeof courtUpdateBody>;
