import { z } from "zod";
import { businessDate } from "../core/dates";
import { pageParams } from "../core/pagination";
import type { Schemas } from "../core/schemas";
import { uuid } from "../core/validation";

export const LISTING_GROUNDS = [
  "able_but_refuses",
  "obstructs_enforcement",
  "evades_enforcement",
  "false_asset_report",
  "violates_consumption_ban",
  "breaches_settlement",
] as const;
export type ListingGround = (typeof LISTING_GROUNDS)[number];

export const REMOVAL_GROUNDS = [
  "fully_performed",
  "settlement_performed",
  "applicant_request",
  "no_assets_found",
  "execution_suspended",
  "enforcement_refused",
  "enforcement_terminated",
  "listed_in_error",
] as const;
export type RemovalGround = (typeof REMOVAL_GROUNDS)[number];

export const LISTING_STATUSES = ["active", "removal_pending", "removed", "expired"] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

export const CHANNELS = ["court_website", "national_portal", "new_media", "newspaper", "other"] as const;
export const OBJECTION_REASONS = ["should_not_be_listed", "inaccurate", "should_be_removed"] as const;

const text = (max: number) => z.string().trim().min(1).max(max);

export const listingCreateBody = z
  .object({
    caseId: uuid,
    partyId: uuid,
    applicantId: uuid.optional(),
    ground: z.enum(LISTING_GROUNDS),
    decisionNumber: text(100),
    decidedOn: businessDate,
    extensionYears: z.number().int().min(1).max(3).optional(),
    note: text(2000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.ground === "able_but_refuses" && v.extensionYears !== undefined) {
      ctx.addIssue({ code: "custom", path: ["extensionYears"], message: "able_but_refuses has no fixed term, so it cannot be extended" });
    }
  }) satisfies z.ZodType<Schemas["ListingCreate"], unknown>;
export type ListingCreateInput = z.output<typeof listingCreateBody>;

const booleanFlag = z.enum(["true", "false"]).transform((v) => v === "true");

export const listingListQuery = z
  .object({
    courtId: uuid.optional(),
    caseId: uuid.optional(),
    status: z.enum(LISTING_STATUSES).optional(),
    removalDue: booleanFlag.optional(),
    removalOverdue: booleanFlag.optional(),
    name: text(100).optional(),
    ...pageParams,
  })
  .strict();
export type ListingListQuery = z.output<typeof listingListQuery>;

export const publicationCreateBody = z
  .object({ channel: z.enum(CHANNELS), publishedOn: businessDate, reference: text(500).optional(), note: text(2000).optional() })
  .strict() satisfies z.ZodType<Schemas["PublicationCreate"], unknown>;
export type PublicationCreateInput = z.output<typeof publicationCreateBody>;

export const publicationParams = z.object({ id: uuid, publicationId: uuid }).strict();

export const publicationWithdrawBody = z
  .object({ withdrawnOn: businessDate })
  .strict() satisfies z.ZodType<Schemas["PublicationWithdraw"], unknown>;

export const removalRequestBody = z
  .object({ ground: z.enum(REMOVAL_GROUNDS), note: text(2000).optional(), applicantId: uuid.optional(), requestedOn: businessDate.optional() })
  .strict()
  .superRefine((v, ctx) => {
    if (v.ground === "applicant_request" && v.applicantId === undefined) {
      ctx.addIssue({ code: "custom", path: ["applicantId"], message: "applicant_request needs the applicant who asked" });
    }
    if (v.ground !== "applicant_request" && v.applicantId !== undefined) {
      ctx.addIssue({ code: "custom", path: ["applicantId"], message: "only for the ground applicant_request" });
    }
  }) satisfies z.ZodType<Schemas["RemovalRequest"], unknown>;
export type RemovalRequestInput = z.output<typeof removalRequestBody>;

export const removalApproveBody = z
  .object({ removedOn: businessDate.optional(), note: text(2000).optional() })
  .strict() satisfies z.ZodType<Schemas["RemovalApprove"], unknown>;
export type RemovalApproveInput = z.output<typeof removalApproveBody>;

export const removalRejectBody = z.object({ reason: text(2000) }).strict() satisfies z.ZodType<Schemas["RemovalReject"], unknown>;

export const objectionCreateBody = z
  .object({ receivedOn: businessDate, reason: z.enum(OBJECTION_REASONS), note: text(2000) })
  .strict() satisfies z.ZodType<Schemas["ObjectionCreate"], unknown>;
export type ObjectionCreateInput = z.output<typeof objectionCreateBody>;

export const objectionDecisionBody = z
  .object({ upheld: z.boolean(), note: text(2000) })
  .strict() satisfies z.ZodType<Schemas["ObjectionDecision"], unknown>;
export type ObjectionDecisionInput = z.output<typeof objectionDecisionBody>;
