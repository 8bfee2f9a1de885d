import type { Cluster, Logger } from "@robusta-ts/sdk";
import { ConfigMapStateStore, type ConfigMapStateStoreOptions } from "./configmap-store.js";
import { MemoryStateStore } from "./memory-store.js";
import type { StateStore } from "./store.js";

export interface OpenStateStoreOptions extends Partial<ConfigMapStateStoreOptions> {
  /** Keep the state in a ConfigMap; otherwise in memory, gone at restart. */
  readonly persist: boolean;
  readonly cluster: Cluster;
  readonly name: string;
  readonly namespace: string;
  readonly logger: Logger;
}

/** A ConfigMap store when persisting, a memory store otherwise. */
export function openStateStore(options: OpenStateStoreOptions): StateStore {
  return options.persist ? new ConfigMapStateStore(options) : new MemoryStateStore();
}
