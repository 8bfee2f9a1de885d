/**
 * The ceiling: the least an intake endpoint can do in Node (read the body, JSON.parse it, answer
 * {"success":true}) on raw node:http. The runtime is reported as a fraction of this.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serveParent } from "./child-ipc.js";

let parsed = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end('{"success":false}');
      return;
    }
    parsed++;
    res.writeHead(200, { "content-type": "application/json" }).end('{"success":true}');
  });
});

server.listen(0, "127.0.0.1", () => {
  serveParent((server.address() as AddressInfo).port, {
    accepted: () => parsed,
    dispatched: () => parsed,
    playbookRuns: () => 0,
    findings: () => 0,
    idle: async () => undefined,
  });
});
