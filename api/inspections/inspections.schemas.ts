import { z } from "zod";
import { businessDate } from "../core/dates";
import type { Schemas } from "../core/schemas";
import { pageParams } from "../core/pagination";
import { uuid } from "../core/validation";

export const FINDING_CATEGORIES = ["overdue_funds", "unentitled_payee", "listing_not_removed", "freeze_lapsed", "record_altered", "complaint", "other"] as const;
export const FINDING_STATUSES = ["open", "rectifying", "rectified", "verified", "reopened"] as const;
export const ENTITY_TYPES = ["case", "receipt", "batch", "listing", "freeze", "user"] as const;
export type FindingCategory = (typeof FINDING_CATEGORIES)[number];
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export type EntityType = (typeof ENTITY_TYPES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

export const inspectionCreateBody = z
  .object({ courtId: uuid, name: text(200), from: businessDate, to: businessDate })
  .strict()
  .refine((b) => b.to >= b.from, { path: ["to"], message: "must not be before from" }) satisfies z.ZodType<Schemas["InspectionCreate"], unknown>;
export type InspectionCreateInput = z.output<typeof inspectionCreateBody>;

export const inspectionListQuery = z.object({ courtId: uuid.optional() }).strict();

const entity = z.object({ type: z.enum(ENTITY_TYPES), id: uuid }).strict();

export const findingCreateBody = z
  .object({
    category: z.enum(FINDING_CATEGORIES),
    description: text(4000),
    severity: z.enum(["low", "medium", "high"]),
    entities: z.array(entity).max(50),
    responsibleUserId: uuid.optional(),
    complaintId: uuid.optional(),
    foundOn: businessDate,
    rectifyBy: businessDate,
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.rectifyBy < b.foundOn) ctx.addIssue({ code: "custom", path: ["rectifyBy"], message: "must be on or after foundOn" });
    if (b.complaintId !== undefined && b.category !== "complaint") ctx.addIssue({ code: "custom", path: ["category"], message: "a finding raised from a complaint has category complaint" });
  }) satisfies z.ZodType<Schemas["FindingCreate"], unknown>;
export type FindingCreateInput = z.output<typeof findingCreateBody>;

export const findingListQuery = z
  .object({ inspectionId: uuid.optional(), courtId: uuid.optional(), status: z.enum([...FINDING_STATUSES, "overdue"]).optional(), ...pageParams })
  .strict();
export type FindingListQuery = z.output<typeof findingListQuery>;

const evidence = z.object({ kind: z.enum(["document", "record", "photo", "other"]), reference: text(500) }).strict();

export const rectificationCreateBody = z
  .object({ description: text(4000), evidence: z.array(evidence).max(50), completedOn: businessDate.optional() })
  .strict() satisfies z.ZodType<Schemas["RectificationCreate"], unknown>;
export type RectificationCreateInput = z.output<typeof rectificationCreateBody>;

export const findingVerifyBody = z.object({ accepted: z.boolean(), note: text(4000) }).strict() satisfies z.ZodType<Schemas["FindingVerify"], unknown>;
export type FindingVerifyInput = z.output<typeof findingVerifyBody>;

export const complaintCreateBody = z
  .object({
    courtId: uuid,
    receivedOn: businessDate,
    channel: z.enum(["letter", "visit", "phone", "online"]),
    complainantName: text(200),
    contact: text(200).optional(),
    caseId: uuid.optional(),
    summary: text(4000),
    replyBy: businessDate,
  })
  .strict()
  .refine((b) => b.replyBy >= b.receivedOn, { path: ["replyBy"], message: "must be on or after receivedOn" }) satisfies z.ZodType<Schemas["ComplaintCreate"], unknown>;
export type ComplaintCreateInput = z.output<typeof complaintCreateBody>;

export const complaintReplyBody = z.object({ repliedOn: businessDate, outcome: text(4000) }).strict() satisfies z.ZodType<Schemas["ComplaintReply"], unknown>;
export type ComplaintReplyInput = z.output<typeof complaintReplyBody>;

export const complaintListQuery = z.object({ courtId: uuid.optional(), status: z.enum(["received", "replied", "overdue"]).optional(), ...pageParams }).strict();
export type ComplaintListQuery = z.output<typeof complaintListQuery>;

export const rectificationReportQuery = z.object({ inspectionId: uuid, format: z.enum(["json", "csv", "xlsx"]).optional() }).strict();
export const rectificationPageQuery = z.object({ inspectionId: uuid }).strict();

const proposalKey = z.string().trim().min(1).max(200);

export const proposalAcceptBody = z
  .object({
    key: proposalKey,
    rectifyBy: businessDate,
    severity: z.enum(["low", "medium", "high"]).optional(),
    description: text(4000).optional(),
    responsibleUserId: uuid.optional(),
  })
  .strict() satisfies z.ZodType<Schemas["FindingProposalAccept"], unknown>;
export type ProposalAcceptInput = z.output<typeof proposalAcceptBody>;

export const proposalDiscardBody = z.object({ key: proposalKey, reason: text(2000) }).strict() satisfies z.ZodType<Schemas["FindingProposalDiscard"], unknown>;
export type ProposalDiscardInput = z.output<typeof proposalDiscardBody>;
