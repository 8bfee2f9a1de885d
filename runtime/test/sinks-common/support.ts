/** What the sink tests share. */
import { expect } from "vitest";
import { DeliveryError } from "../../src/delivery/delivery-error.js";

/** The DeliveryError `promise` rejects with; the test fails if it resolves or rejects with anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

/** The settings every sink takes besides its own: `name`, a default sink, with no routing stop and no dedup. */
export const sinkBase = (name: string) => ({ name, isDefault: true, routing: { stop: false, dedup_interval: 0 } });
