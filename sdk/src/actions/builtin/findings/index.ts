/** Creating and shaping findings, change tracking, and silencers (Robusta §5.1, §5.3, §5.5). */
import type { AnyAction } from "../../define.js";
import { alertExplanationEnricher } from "./alert-explanation-enricher.js";
import { buttonEnricher } from "./button-enricher.js";
import { createFindingAction } from "./create-finding.js";
import { customiseFinding } from "./customise-finding.js";
import { daemonsetMisscheduledSmartSilencer } from "./daemonset-misscheduled-smart-silencer.js";
import { externalVideoEnricher } from "./external-video-enricher.js";
import { mentionEnricher } from "./mention-enricher.js";
import { nodeRestartSilencer } from "./node-restart-silencer.js";
import { podStatusSilencer } from "./pod-status-silencer.js";
import { resourceBabysitter } from "./resource-babysitter.js";
import { severitySilencer } from "./severity-silencer.js";
import { silenceAlert } from "./silence-alert.js";
import { targetDownDnsSilencer } from "./target-down-dns-silencer.js";
import { templateEnricher } from "./template-enricher.js";

export {
  alertExplanationEnricher,
  buttonEnricher,
  createFindingAction,
  customiseFinding,
  daemonsetMisscheduledSmartSilencer,
  externalVideoEnricher,
  mentionEnricher,
  nodeRestartSilencer,
  podStatusSilencer,
  resourceBabysitter,
  severitySilencer,
  silenceAlert,
  targetDownDnsSilencer,
  templateEnricher,
};

export const findingActions: AnyAction[] = [
  createFindingAction,
  customiseFinding,
  templateEnricher,
  buttonEnricher,
  mentionEnricher,
  alertExplanationEnricher,
  externalVideoEnricher,
  resourceBabysitter,
  severitySilencer,
  silenceAlert,
  podStatusSilencer,
  nodeRestartSilencer,
  daemonsetMisscheduledSmartSilencer,
  targetDownDnsSilencer,
];
