/**
 * The pure rule lives with the ledger (api/ledger/amount-owed.ts), because the fully-performed
 * derivation there needs it and the ledger may not import cases. Re-exported for its old importers.
 */
export * from "../ledger/amount-owed";
