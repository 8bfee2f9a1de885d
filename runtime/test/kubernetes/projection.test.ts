import { describe, expect, it } from "vitest";
import { diffObjects, isCutPodSpec, type Pod } from "@robusta-ts/sdk";
import { fixtures } from "@robusta-ts/sdk/testing";
import { project, specDigest } from "../../src/kubernetes/projection.js";

/** A pod as the API server sends it: the server fills in spec fields nobody wrote. */
function serverPod(): Pod {
  const pod = fixtures.pod({ name: "web-0", namespace: "demo", nodeName: "node-1" });
  pod.spec = {
    ...pod.spec!,
    containers: pod.spec!.containers.map((c) => ({ ...c, imagePullPolicy: "IfNotPresent", env: [{ name: "MODE", value: "prod" }] })),
    restartPolicy: "Always",
    dnsPolicy: "ClusterFirst",
    volumes: [{ name: "data", emptyDir: {} }],
  };
  return pod;
}

describe("cached pods", () => {
  it("are cut down to what the SDK's diffs recognise as cut, keeping the digest of the whole spec", () => {
    const whole = serverPod();
    const cached = structuredClone(whole);
    project(cached);
    expect(isCutPodSpec(cached.spec)).toBe(true);
    expect(cached.spec?.volumes).toBeUndefined();
    expect(specDigest(cached)).toBe(specDigest(whole));
  });

  it("compare with the next whole version on the fields they kept only", () => {
    const cached = serverPod();
    project(cached);
    const next = fixtures.crashLoopingPod(serverPod(), { restartCount: 1 });
    next.metadata = { ...next.metadata, uid: cached.metadata?.uid };
    const paths = diffObjects(cached, next, { ignore: ["metadata.resourceVersion"] }).map((d) => d.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((path) => path.startsWith("status."))).toBe(true);
  });
});
