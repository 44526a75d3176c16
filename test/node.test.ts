// The Node entry point for real: `tsx src/node.ts` as `npm start` runs it, on a free port, with
// the bundled sample. Checks the wiring no in-process test sees: environment parsing, the
// composition root, the feed load, the server and a clean stop on SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TOKEN = "node-entry-token-0123456789";
let child: ChildProcess;
let base = "";
let stderr = "";

beforeAll(async () => {
  const { PARTNERS_FILE: _, ELASTICSEARCH_URL: __, ...inherited } = process.env;
  child = spawn(process.execPath, ["--import", "tsx", "src/node.ts"], {
    env: {
      ...inherited,
      PORT: "0",
      HOST: "127.0.0.1",
      MATCH_API_TOKENS: TOKEN,
      LOG_LEVEL: "info",
      // Short, so the half-sent request below is dropped quickly (the default is 30 s).
      REQUEST_TIMEOUT_MS: "1000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += String(d);
      const m = /"msg":"listening","url":"http:\/\/localhost:(\d+)"/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
});

describe("npm start (src/node.ts)", () => {
  it("serves the bundled sample on the embedded backend", async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ backend: "memory", details: { profiles: 10_000 } });
    const res = await fetch(`${base}/v1/directory/partners?q=crm&country=DE`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; results: unknown[] };
    expect(body.total).toBeGreaterThan(0);
    expect(body.results.length).toBeGreaterThan(0);
  });

  it("answers the finder with the token from MATCH_API_TOKENS, and refuses without it", async () => {
    const req = (headers: Record<string, string>) =>
      fetch(`${base}/v1/match`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ customer: { country: "DE", languages: ["de"] }, limit: 3 }),
      });
    expect((await req({})).status).toBe(401);
    const ok = await req({ authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { candidates: unknown[] }).candidates).toHaveLength(3);
  });

  it("drops a request whose body never completes within REQUEST_TIMEOUT_MS", async () => {
    const { port } = new URL(base);
    const socket = connect(Number(port), "127.0.0.1");
    await once(socket, "connect");
    const started = Date.now();
    socket.write(
      "POST /v1/match HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
        `Authorization: Bearer ${TOKEN}\r\n` +
        'Content-Length: 100\r\n\r\n{"custome',
    );
    let answer = "";
    socket.on("data", (d) => {
      answer += String(d);
    });
    await once(socket, "close");
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(5_000);
    // Node answers 408 before closing (or just closes): either way the socket is freed.
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it("stops on SIGTERM", async () => {
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code === 0 || code === null).toBe(true);
  });
});
