/** What pods request and are limited to, as numbers people can add up and compare. */
import type { Container, Pod } from "../../../kubernetes/objects.js";
import { quantityBytes } from "../memory-quantity.js";

/** Amounts by resource name: cpu in cores, memory and storage in bytes, anything else as counted. */
export type Amounts = Record<string, number>;

type Which = "requests" | "limits";

function parsed(quantities: Readonly<Record<string, string>> | undefined): Amounts {
  // quantityBytes parses any Kubernetes quantity ("250m" is 0.25); only its name is about memory.
  return Object.fromEntries(
    Object.entries(quantities ?? {}).flatMap(([name, quantity]) => {
      const amount = quantityBytes(quantity);
      return amount === undefined ? [] : [[name, amount]];
    }),
  );
}

/** A container's requests or limits. */
export function containerAmounts(container: Container, which: Which): Amounts {
  return parsed(container.resources?.[which]);
}

/**
 * A pod's requests or limits as the scheduler counts them: its containers' sum, or an init
 * container's when larger (they run one at a time, before the others), plus the pod's overhead.
 */
export function podAmounts(pod: Pod, which: Which): Amounts {
  const total: Amounts = {};
  for (const container of pod.spec?.containers ?? []) {
    for (const [name, amount] of Object.entries(containerAmounts(container, which))) total[name] = (total[name] ?? 0) + amount;
  }
  for (const container of pod.spec?.initContainers ?? []) {
    for (const [name, amount] of Object.entries(containerAmounts(container, which))) total[name] = Math.max(total[name] ?? 0, amount);
  }
  for (const [name, amount] of Object.entries(parsed(pod.spec?.overhead))) total[name] = (total[name] ?? 0) + amount;
  return total;
}

const BYTE_RESOURCES = /^(memory|ephemeral-storage|storage|hugepages-.*)$/;

/** An amount as people read it: cpu in millicores ("250m"), bytes in MiB ("512Mi"), counts as they are. */
export function formatAmount(resource: string, amount: number): string {
  if (resource === "cpu") return `${Math.round(amount * 1000)}m`;
  if (BYTE_RESOURCES.test(resource)) return `${Math.round(amount / 2 ** 20)}Mi`;
  return String(Math.round(amount * 1000) / 1000);
}

/** Cores, to three decimals, for tables that show cpu as a number (Robusta's). */
export const cores = (amount: number | undefined): number => Math.round((amount ?? 0) * 1000) / 1000;

/** Whole MiB, for tables that show memory as a number (Robusta's "MB"). */
export const mebibytes = (amount: number | undefined): number => Math.round((amount ?? 0) / 2 ** 20);

/** Whether a pod has ended: its containers will not run again, so it no longer holds node resources. */
export const isTerminated = (pod: Pod): boolean => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

/** How many times the pod's containers have restarted, all together. */
export const podRestarts = (pod: Pod): number =>
  (pod.status?.containerStatuses ?? []).reduce((sum, status) => sum + status.restartCount, 0);
