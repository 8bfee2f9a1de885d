/** Enrichers of specific Prometheus alerts, behind Robusta's default alert playbooks (Robusta §5.2). */
import type { AnyAction } from "../../define.js";
import { apiServiceStatusEnricher } from "./api-service-status-enricher.js";
import { cpuThrottlingAnalysisEnricher } from "./cpu-throttling-analysis-enricher.js";
import { nodeCpuEnricher } from "./node-cpu-enricher.js";
import { oomKillerEnricher } from "./oom-killer-enricher.js";
import { cpuOvercommitedEnricher, memoryOvercommitedEnricher } from "./overcommit-enrichers.js";
import { prometheusRulesEnricher } from "./prometheus-rules-enricher.js";
import { versionMismatchEnricher } from "./version-mismatch-enricher.js";

export {
  apiServiceStatusEnricher,
  cpuOvercommitedEnricher,
  cpuThrottlingAnalysisEnricher,
  memoryOvercommitedEnricher,
  nodeCpuEnricher,
  oomKillerEnricher,
  prometheusRulesEnricher,
  versionMismatchEnricher,
};

/** The alert enrichers, available by their Robusta names. */
export const alertEnricherActions: AnyAction[] = [
  versionMismatchEnricher,
  apiServiceStatusEnricher,
  prometheusRulesEnricher,
  cpuOvercommitedEnricher,
  memoryOvercommitedEnricher,
  nodeCpuEnricher,
  cpuThrottlingAnalysisEnricher,
  oomKillerEnricher,
];
