import { table, type TableBlock } from "../../../findings/blocks.js";

/** A status condition, as every kind words it. */
export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string | undefined;
  readonly message?: string | undefined;
}

/** The conditions of a `kind` as a "<kind> status details" table; with details, their reasons and messages too. */
export function conditionsTable(kind: string, conditions: readonly Condition[], showDetails = false): TableBlock {
  return table(
    conditions.map((c) => (showDetails ? [c.type, c.status, c.reason ?? "", c.message ?? ""] : [c.type, c.status])),
    { headers: showDetails ? ["Type", "Status", "Reason", "Message"] : ["Type", "Status"], name: `${kind} status details` },
  );
}
