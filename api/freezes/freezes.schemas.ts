import { z } from "zod";
import { businessDate } from "../core/dates";
import { positiveMoney } from "../core/money";
import { pageParams, wholeNumber } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { uuid } from "../core/validation";

export const ASSET_TYPES = ["bank_deposit", "movable", "real_estate", "other"] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

export const freezeCreateBody = z
  .object({
    partyId: uuid,
    assetType: z.enum(ASSET_TYPES),
    description: text(1000),
    institution: text(200).optional(),
    amount: positiveMoney.optional(),
    frozenOn: businessDate,
    expiresOn: businessDate.optional(),
  })
  .strict();
export type FreezeCreateInput = z.output<typeof freezeCreateBody>;

export const freezeRenewBody = z.object({ expiresOn: businessDate }).strict() satisfies z.ZodType<Schemas["FreezeRenew"], unknown>;
export const freezeReleaseBody = z.object({ releasedOn: businessDate }).strict() satisfies z.ZodType<Schemas["FreezeRelease"], unknown>;

export const freezeListQuery = z
  .object({
    courtId: uuid.optional(),
    caseId: uuid.optional(),
    status: z.enum(["active", "released", "lapsed"]).optional(),
    expiringWithinDays: wholeNumber("expiringWithinDays").pipe(z.number().int().min(0).max(3650)).optional(),
    ...pageParams,
  })
  .strict();
export type FreezeListQuery = z.output<typeof freezeListQuery>;
