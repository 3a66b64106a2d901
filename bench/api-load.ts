/**
 * The load generator of bench/api.ts, in its own process so its work does not slow the server's
 * event loop: sends RATE requests/s for SECONDS (open loop, keep-alive) and prints the results as
 * JSON on stdout. Input: one JSON argument { port, rate, seconds, paths, keys }.
 */
import http from "node:http";

type Input = {
  port: number;
  rate: number;
  seconds: number;
  paths: { kind: string; path: string }[];
  keys: string[];
};
const input = JSON.parse(process.argv[2] ?? "{}") as Input;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function send(pathName: string, key: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: "127.0.0.1",
        port: input.port,
        path: pathName,
        agent,
        headers: { authorization: `Bearer ${key}` },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
  });
}

const pick = (i: number) => input.paths[i % input.paths.length] ?? { kind: "?", path: "/" };
const key = (i: number) => input.keys[i % input.keys.length] ?? "";

// Warm-up: connections, the server's module caches, prepared plans and pool.
for (let i = 0; i < 50; i++) await send(pick(i).path, key(i));

const total = input.rate * input.seconds;
const results: { kind: string; ms: number; status: number }[] = [];
const inflight: Promise<void>[] = [];
const started = performance.now();
for (let i = 0; i < total; i++) {
  const at = started + (i * 1000) / input.rate;
  const wait = at - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const { kind, path } = pick(i);
  inflight.push(
    send(path, key(i)).then((status) => {
      results.push({ kind, ms: performance.now() - at, status });
    }),
  );
}
await Promise.all(inflight);
const elapsed = (performance.now() - started) / 1000;
agent.destroy();
process.stdout.write(JSON.stringify({ results, elapsed }));
