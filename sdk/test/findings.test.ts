import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ALERT_SEVERITY_MAP,
  alertEvent,
  binaryFile,
  callback,
  createFinding,
  defaultFindingFor,
  diff,
  divider,
  file,
  fingerprintOf,
  header,
  json,
  links,
  list,
  markdown,
  specializeChange,
  table,
  type Block,
  type DaemonSet,
  type Deployment,
  type Job,
  type KubernetesObject,
  type Node,
  type PrometheusAlertEvent,
  type StatefulSet,
} from "../src/index.js";
import { fixtures } from "../src/testing/index.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("fingerprintOf (Robusta's formula)", () => {
  it("hashes a namespaced pod with no node, spelling the missing node as Python's None", () => {
    const fingerprint = fingerprintOf(
      { subjectType: "pod", name: "web-0", namespace: "demo", labels: {}, annotations: {} },
      "KUBERNETES_API_SERVER",
      "CrashLoopBackoff",
    );
    expect(fingerprint).toBe(sha256("FindingSubjectType.TYPE_POD,web-0,demo,None,kubernetes_api_serverCrashLoopBackoff"));
  });

  it("hashes a cluster-scoped node with namespace None", () => {
    const fingerprint = fingerprintOf({ subjectType: "node", name: "node-1", node: "node-1" }, "PROMETHEUS", "NodeNotReady");
    expect(fingerprint).toBe(sha256("FindingSubjectType.TYPE_NODE,node-1,None,node-1,prometheusNodeNotReady"));
  });

  it("uses TYPE_NONE for a kind Robusta has no subject type for", () => {
    const fingerprint = fingerprintOf({ subjectType: "configmap", name: "settings", namespace: "demo" }, "MANUAL", "Changed");
    expect(fingerprint).toBe(sha256("FindingSubjectType.TYPE_NONE,settings,demo,None,manualChanged"));
  });

  it("uses TYPE_NONE and None everywhere for an empty subject and source NONE", () => {
    expect(fingerprintOf({}, "NONE", "GenericFindingKey")).toBe(sha256("FindingSubjectType.TYPE_NONE,None,None,None,NoneGenericFindingKey"));
  });

  it("spells the other subject types as Robusta's enum members", () => {
    const cases = [
      ["deployment", "TYPE_DEPLOYMENT"],
      ["daemonset", "TYPE_DAEMONSET"],
      ["statefulset", "TYPE_STATEFULSET"],
      ["job", "TYPE_JOB"],
      ["horizontalpodautoscaler", "TYPE_HPA"],
    ] as const;
    for (const [subjectType, member] of cases) {
      expect(fingerprintOf({ subjectType, name: "x", namespace: "ns" }, "SCHEDULER", "k")).toBe(
        sha256(`FindingSubjectType.${member},x,ns,None,schedulerk`),
      );
    }
  });
});

describe("createFinding", () => {
  const now = new Date("2026-03-04T05:06:07Z");

  it("fills in Robusta's defaults", () => {
    const finding = createFinding({ title: "Something happened", aggregationKey: "Something" }, now);
    expect(finding).toMatchObject({
      title: "Something happened",
      aggregationKey: "Something",
      severity: "INFO",
      status: "firing",
      source: "NONE",
      findingType: "ISSUE",
      failure: true,
      startsAt: "2026-03-04T05:06:07.000Z",
      enrichments: [],
      links: [],
      subject: { labels: {}, annotations: {} },
    });
    expect(finding.description).toBeUndefined();
    expect(finding.endsAt).toBeUndefined();
  });

  it("gives every finding its own id", () => {
    const init = { title: "t", aggregationKey: "k" };
    expect(createFinding(init, now).id).not.toBe(createFinding(init, now).id);
  });

  it("computes the fingerprint from the subject, source and aggregation key", () => {
    const finding = createFinding(
      { title: "Crashing pod", aggregationKey: "CrashLoopBackoff", source: "KUBERNETES_API_SERVER", subject: { subjectType: "pod", name: "web-0", namespace: "demo" } },
      now,
    );
    expect(finding.fingerprint).toBe(sha256("FindingSubjectType.TYPE_POD,web-0,demo,None,kubernetes_api_serverCrashLoopBackoff"));
  });

  it("keeps the fingerprint when only the status changes, so sinks can resolve what they opened", () => {
    const init = { title: "t", aggregationKey: "k", subject: { subjectType: "pod", name: "web-0", namespace: "demo" } };
    expect(createFinding({ ...init, status: "resolved" }, now).fingerprint).toBe(createFinding(init, now).fingerprint);
  });

  it("lets an explicit fingerprint win over the computed one", () => {
    const finding = createFinding({ title: "t", aggregationKey: "k", fingerprint: "am-fingerprint-123" }, now);
    expect(finding.fingerprint).toBe("am-fingerprint-123");
  });

  it("falls back to the computed fingerprint when the given one is empty", () => {
    const finding = createFinding({ title: "t", aggregationKey: "k", fingerprint: "" }, now);
    expect(finding.fingerprint).toBe(fingerprintOf({}, "NONE", "k"));
  });

  it("copies the subject's labels, so changing the input later does not change the finding", () => {
    const labels: Record<string, string> = { app: "web" };
    const finding = createFinding({ title: "t", aggregationKey: "k", subject: { labels } }, now);
    labels.app = "changed";
    expect(finding.subject.labels).toEqual({ app: "web" });
  });
});

describe("defaultFindingFor a Kubernetes change", () => {
  it("describes a pod update like Robusta: 'Update to Pod <name>', GenericChange, from the API server", () => {
    const before = fixtures.pod({ name: "web-0", namespace: "demo", labels: { app: "web" }, nodeName: "node-1" });
    const after = fixtures.crashLoopingPod(before);
    const init = defaultFindingFor(specializeChange(fixtures.change("update", after, before)));
    expect(init).toMatchObject({
      title: "Update to Pod web-0",
      aggregationKey: "GenericChange",
      source: "KUBERNETES_API_SERVER",
      subject: { name: "web-0", subjectType: "pod", namespace: "demo", node: "node-1", labels: { app: "web" } },
    });
  });

  it("names the operation of creates and deletes", () => {
    const obj = fixtures.pod({ name: "web-1" });
    expect(defaultFindingFor(fixtures.change("create", obj)).title).toBe("Create to Pod web-1");
    expect(defaultFindingFor(fixtures.change("delete", obj)).title).toBe("Delete to Pod web-1");
  });
});

describe("defaultFindingFor an alert", () => {
  const event = (options: Parameters<typeof fixtures.alert>[0]): PrometheusAlertEvent => alertEvent(fixtures.alert(options));
  /** An alert event with the objects the engine resolved from its labels. */
  const resolved = (objects: Partial<PrometheusAlertEvent>, labels: Record<string, string> = {}): PrometheusAlertEvent => ({
    ...event({ name: "A", labels }),
    ...objects,
  });

  it("uses the summary annotation as the title", () => {
    const init = defaultFindingFor(event({ name: "DiskFull", annotations: { summary: "Disk of node-1 is 95% full" } }));
    expect(init.title).toBe("Disk of node-1 is 95% full");
    expect(init.aggregationKey).toBe("DiskFull");
    expect(init.source).toBe("PROMETHEUS");
    expect(init.status).toBe("firing");
  });

  it("falls back to the alert name when there is no summary", () => {
    expect(defaultFindingFor(event({ name: "DiskFull", annotations: { summary: "" } })).title).toBe("DiskFull");
  });

  it("prefixes resolved alerts with [RESOLVED] and marks them resolved", () => {
    const init = defaultFindingFor(event({ name: "DiskFull", status: "resolved", annotations: { summary: "Disk full" } }));
    expect(init.title).toBe("[RESOLVED] Disk full");
    expect(init.status).toBe("resolved");
  });

  it("maps the severity label through ALERT_SEVERITY_MAP, case-insensitively", () => {
    for (const [label, severity] of Object.entries(ALERT_SEVERITY_MAP)) {
      expect(defaultFindingFor(event({ name: "A", labels: { severity: label } })).severity).toBe(severity);
      expect(defaultFindingFor(event({ name: "A", labels: { severity: label.toUpperCase() } })).severity).toBe(severity);
    }
    // Robusta's mapping, spelled out for the common labels.
    expect(defaultFindingFor(event({ name: "A", labels: { severity: "critical" } })).severity).toBe("HIGH");
    expect(defaultFindingFor(event({ name: "A", labels: { severity: "warning" } })).severity).toBe("LOW");
  });

  it("gives INFO for an unknown or missing severity label", () => {
    expect(defaultFindingFor(event({ name: "A", labels: { severity: "page-someone" } })).severity).toBe("INFO");
    const noSeverity = alertEvent({ ...fixtures.alert({ name: "A" }), labels: { alertname: "A" } });
    expect(defaultFindingFor(noSeverity).severity).toBe("INFO");
  });

  it("accepts a custom severity map", () => {
    expect(defaultFindingFor(event({ name: "A", labels: { severity: "page" } }), { page: "HIGH" }).severity).toBe("HIGH");
  });

  it("keeps Alertmanager's fingerprint, so firing and resolved dedup together", () => {
    const firing = createFinding(defaultFindingFor(event({ name: "A", fingerprint: "c0ffee" })));
    const resolved = createFinding(defaultFindingFor(event({ name: "A", fingerprint: "c0ffee", status: "resolved" })));
    expect(firing.fingerprint).toBe("c0ffee");
    expect(resolved.fingerprint).toBe("c0ffee");
  });

  it("links to the generator URL", () => {
    const alert = fixtures.alert({ name: "A" });
    const init = defaultFindingFor(alertEvent(alert));
    expect(init.links).toEqual([expect.objectContaining({ url: alert.generatorURL, type: "prometheus_generator_url" })]);
  });

  it("has no link when the alert has no generator URL", () => {
    const { generatorURL: _, ...alert } = fixtures.alert({ name: "A" });
    expect(defaultFindingFor(alertEvent(alert)).links ?? []).toEqual([]);
  });

  describe("subject", () => {
    const meta = (name: string, labels: Record<string, string> = {}) => ({ name, namespace: "prod", labels });
    const objects = {
      deployment: { kind: "Deployment", metadata: meta("api") } as Deployment,
      daemonSet: { kind: "DaemonSet", metadata: meta("agent") } as DaemonSet,
      statefulSet: { kind: "StatefulSet", metadata: meta("db") } as StatefulSet,
      node: { kind: "Node", metadata: { name: "node-1" } } as Node,
      pod: fixtures.pod({ name: "api-1", namespace: "prod", nodeName: "node-1" }),
      job: { kind: "Job", metadata: meta("backup") } as Job,
    };
    const order = ["deployment", "daemonSet", "statefulSet", "node", "pod", "job"] as const;

    it("is the most specific object: deployment > daemonset > statefulset > node > pod > job", () => {
      for (const [index, property] of order.entries()) {
        const present = Object.fromEntries(order.slice(index).map((p) => [p, objects[p]]));
        const init = defaultFindingFor(resolved(present));
        const expected: KubernetesObject = objects[property];
        expect(init.subject?.subjectType).toBe(expected.kind?.toLowerCase());
        expect(init.subject?.name).toBe(expected.metadata?.name);
      }
    });

    it("records the node of a pod subject and the name of a node subject", () => {
      const podSubject = defaultFindingFor(resolved({ pod: objects.pod })).subject;
      expect(podSubject).toMatchObject({ name: "api-1", namespace: "prod", node: "node-1" });
      const nodeSubject = defaultFindingFor(resolved({ node: objects.node })).subject;
      expect(nodeSubject).toMatchObject({ name: "node-1", subjectType: "node", node: "node-1" });
      expect(nodeSubject?.namespace).toBeUndefined();
    });

    it("keeps the alert's container label on a resolved pod subject", () => {
      const init = defaultFindingFor(resolved({ pod: objects.pod }, { container: "app" }));
      expect(init.subject).toMatchObject({ name: "api-1", subjectType: "pod", container: "app" });
    });

    it("merges the alert's labels over the object's labels, the alert winning", () => {
      const pod = fixtures.pod({ name: "api-1", namespace: "prod", labels: { app: "api", team: "payments" } });
      const init = defaultFindingFor(resolved({ pod }, { team: "sre" }));
      expect(init.subject?.labels).toMatchObject({ app: "api", team: "sre", alertname: "A" });
    });

    it("is built from the alert's labels when no object was resolved", () => {
      const podAlert = defaultFindingFor(event({ name: "A", labels: { pod: "api-1", namespace: "prod", container: "app" } }));
      expect(podAlert.subject).toMatchObject({ name: "api-1", subjectType: "pod", namespace: "prod", container: "app" });

      const nodeAlert = defaultFindingFor(event({ name: "A", labels: { node: "node-9" } }));
      expect(nodeAlert.subject).toMatchObject({ name: "node-9", subjectType: "node", node: "node-9" });

      const bare = defaultFindingFor(event({ name: "A", labels: { namespace: "prod" } }));
      expect(bare.subject?.name).toBeUndefined();
      expect(bare.subject?.subjectType).toBeUndefined();
      expect(bare.subject?.namespace).toBe("prod");
      expect(bare.subject?.labels).toMatchObject({ alertname: "A", namespace: "prod" });
    });
  });
});

describe("defaultFindingFor other events", () => {
  it("titles a scheduled run and a manual run", () => {
    expect(defaultFindingFor({ source: "scheduler", id: "1", runCount: 0 } as never)).toMatchObject({ source: "SCHEDULER" });
    expect(defaultFindingFor({ source: "manual", id: "1", params: {} } as never)).toMatchObject({ source: "MANUAL" });
    expect(defaultFindingFor({ source: "callback", id: "1", params: {} } as never)).toMatchObject({ source: "CALLBACK" });
  });
});

describe("block builders", () => {
  const roundTrip = (block: Block) => JSON.parse(JSON.stringify(block)) as unknown;

  it("produce plain JSON data, with a type tag", () => {
    const blocks: Block[] = [
      markdown("*bold*"),
      header("Title"),
      divider(),
      list(["a", "b"]),
      table([["k", 1]], { headers: ["key", "value"], name: "t" }),
      file("web-0.log", "line\n", "cut"),
      binaryFile("x.bin", new Uint8Array([0, 1, 2])),
      diff({ kind: "Deployment", name: "api", namespace: "prod" }, [{ path: "spec.replicas", old: 1, new: 2 }]),
      links([{ text: "Docs", url: "https://example.com" }]),
      callback([{ text: "Delete pod", action: "delete_pod", params: { name: "web-0" } }]),
      json({ nested: { a: [1, 2] } }),
    ];
    for (const block of blocks) {
      expect(roundTrip(block)).toEqual(block);
      expect(Object.getPrototypeOf(block)).toBe(Object.prototype);
    }
    expect(blocks.map((b) => b.type)).toEqual(["markdown", "header", "divider", "list", "table", "file", "file", "diff", "links", "callback", "json"]);
  });

  it("copy the arrays they are given", () => {
    const items = ["a"];
    const rows = [["x", 1]];
    const listBlock = list(items);
    const tableBlock = table(rows);
    items.push("b");
    rows[0]!.push(2);
    expect(listBlock.items).toEqual(["a"]);
    expect(tableBlock.rows).toEqual([["x", 1]]);
  });

  it("make a table without headers a key/value table, and omit an unset name", () => {
    const block = table([["restarts", 4]]);
    expect(block.headers).toEqual([]);
    expect("name" in block).toBe(false);
  });

  it("encode text files as UTF-8 and binary files as base64", () => {
    expect(file("a.log", "héllo")).toEqual({ type: "file", filename: "a.log", contents: "héllo", encoding: "utf8" });
    const bytes = new Uint8Array([0xff, 0x00, 0x10]);
    const block = binaryFile("a.bin", bytes);
    expect(block.encoding).toBe("base64");
    expect(new Uint8Array(Buffer.from(block.contents, "base64"))).toEqual(bytes);
  });
});
