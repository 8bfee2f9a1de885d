/** The templates `create-robusta-playbooks --template` offers. */

/**
 * @typedef {object} Template
 * @property {string} name         what --template takes
 * @property {string} title        one line, for the prompt and --help
 * @property {string} about        a paragraph for the scaffold's README
 * @property {string} fixture      the saved event `npm run simulate` replays
 */

/** @type {readonly Template[]} */
export const TEMPLATES = [
  {
    name: "crash-loop",
    title: "Crash-loop reporter: crash-looping pods, with their previous log and Warning events",
    about:
      "`playbooks/index.ts` reports pods whose containers crash-loop, with a table of the crashing " +
      "containers, the log of the container that crashed, and the pod's Warning events. " +
      "`test/crash-loops.test.ts` runs it against an in-memory cluster; `npm run simulate` replays " +
      "`fixtures/crash-loop.yaml`, a pod that starts crash-looping, through it.",
    fixture: "fixtures/crash-loop.yaml",
  },
  {
    name: "alert-enrichment",
    title: "Alert enrichment: Alertmanager alerts, enriched with the live pod's log, events and labels",
    about:
      "`playbooks/index.ts` enriches the alerts Alertmanager sends to the runner: `KubePodCrashLooping` " +
      "gets the crashing container's log and the pod's Warning events, and every alert gets its " +
      "runbook link and labels. `test/alert-enrichment.test.ts` runs it against an in-memory cluster; `npm run simulate` replays " +
      "`fixtures/crash-looping-alert.yaml`, an Alertmanager webhook, through it.",
    fixture: "fixtures/crash-looping-alert.yaml",
  },
];

/** The template used when none is chosen. */
export const DEFAULT_TEMPLATE = "crash-loop";

/**
 * @param {string} name
 * @returns {Template | undefined}
 */
export function findTemplate(name) {
  return TEMPLATES.find((template) => template.name === name);
}
