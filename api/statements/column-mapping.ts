import { z } from "zod";
import { DATE_FORMATS } from "./statement-values";
import type { LayoutColumn, StatementField, StatementLayout } from "./statement-layouts";

/**
 * A column mapping is a layout given by a user, once per court, for a bank we ship no layout for:
 * the header name of each field, how dates are written, how amounts are. Header names are compared
 * as layouts compare them (no blanks, ASCII parentheses).
 */

const header = z.string().trim().min(1).max(60);

export const columnMappingSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    bank: z.string().trim().min(1).max(60).optional(),
    columns: z.strictObject({
      transactionDate: header,
      transactionTime: header.optional(),
      valueDate: header.optional(),
      bookedOn: header.optional(),
      credit: header.optional(),
      debit: header.optional(),
      amount: header.optional(),
      direction: header.optional(),
      balance: header.optional(),
      currency: header.optional(),
      counterpartyName: header.optional(),
      counterpartyAccount: header.optional(),
      counterpartyBank: header.optional(),
      remark: z.array(header).min(1).max(4).optional(),
      bankReference: header.optional(),
      virtualAccount: header.optional(),
      accountNumber: header.optional(),
      accountName: header.optional(),
    }),
    dateFormat: z.enum(["auto", ...DATE_FORMATS]),
    amountStyle: z.enum(["two-columns", "signed", "direction"]),
    /** For `direction`: what the 借贷标志 column says for a credit and for a debit. */
    directionValues: z
      .strictObject({
        credit: z.array(z.string().trim().min(1).max(10)).min(1).max(8),
        debit: z.array(z.string().trim().min(1).max(10)).min(1).max(8),
      })
      .optional(),
    thousandsSeparators: z.boolean(),
  })
  .superRefine((m, ctx) => {
    const need = (field: keyof typeof m.columns, why: string) => {
      if (m.columns[field] === undefined) ctx.addIssue({ code: "custom", path: ["columns", field], message: `required when ${why}` });
    };
    if (m.amountStyle === "two-columns") {
      need("credit", "amountStyle is two-columns");
      need("debit", "amountStyle is two-columns");
    } else {
      need("amount", `amountStyle is ${m.amountStyle}`);
    }
    if (m.amountStyle === "direction") {
      need("direction", "amountStyle is direction");
      if (!m.directionValues) ctx.addIssue({ code: "custom", path: ["directionValues"], message: "required when amountStyle is direction" });
    } else if (m.directionValues) {
      ctx.addIssue({ code: "custom", path: ["directionValues"], message: "only for amountStyle direction" });
    }
    if (m.directionValues) {
      const overlap = m.directionValues.credit.filter((v) => m.directionValues!.debit.includes(v));
      if (overlap.length) ctx.addIssue({ code: "custom", path: ["directionValues"], message: `${overlap.join(", ")} cannot mean both credit and debit` });
    }
  });

export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export function isColumnMapping(x: StatementLayout | ColumnMapping): x is ColumnMapping {
  return "amountStyle" in x && typeof x.amountStyle === "string";
}

/** The layout a mapping describes. Generated files in it have no title rows. */
export function layoutFromMapping(mapping: ColumnMapping): StatementLayout {
  const columns: LayoutColumn[] = [];
  for (const [field, value] of Object.entries(mapping.columns) as [StatementField, string | string[] | undefined][]) {
    if (value === undefined) continue;
    for (const h of Array.isArray(value) ? value : [value]) columns.push({ header: h, field });
  }
  const amountStyle =
    mapping.amountStyle === "direction"
      ? { style: "direction" as const, credit: mapping.directionValues!.credit, debit: mapping.directionValues!.debit }
      : { style: mapping.amountStyle };
  return {
    name: mapping.name,
    bank: mapping.bank ?? "",
    title: mapping.name,
    modelledOn: "a column mapping given by the court",
    columns,
    amountStyle,
    dateFormats: mapping.dateFormat === "auto" ? DATE_FORMATS : [mapping.dateFormat],
    thousandsSeparators: mapping.thousandsSeparators,
    render: {
      date: mapping.dateFormat === "auto" ? "YYYY-MM-DD" : mapping.dateFormat,
      dateWithTime: false,
      grouping: false,
      signedPlus: false,
      unusedAmount: "",
      padCells: false,
      newestFirst: false,
      titleRows: () => [],
    },
  };
}
