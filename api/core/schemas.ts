import type { components } from "../generated/openapi";

/** The contract's component types, by their names in openapi.yaml. */
export type Schemas = components["schemas"];
