import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closedPort } from "../../../test/support/cli.js";
import { createPrometheusClient, PrometheusError, parseSampleValue } from "./client.js";

const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../test/fixtures/prometheus/http-api",
);
/** Prometheus's documented answers, byte for byte. */
const VECTOR = readFileSync(path.join(FIXTURES, "query_vector_up.json"), "utf8");
const MATRIX = readFileSync(path.join(FIXTURES, "query_range_matrix_up.json"), "utf8");

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  form: URLSearchParams;
}

let server: Server;
let base: string;
let received: Received[];
let handler: (request: IncomingMessage, response: ServerResponse, n: number) => void;

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(body);
}

beforeEach(async () => {
  received = [];
  handler = (_request, response) => answer(response, 200, VECTOR);
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        form: new URLSearchParams(Buffer.concat(chunks).toString()),
      });
      handler(request, response, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Retries paced in milliseconds, so that the tests do not wait for real backoff. */
const fast = { baseMs: 1, capMs: 4 };

describe("PrometheusClient.query", () => {
  it("POSTs the query form-encoded to /api/v1/query and parses the documented vector answer", async () => {
    const client = createPrometheusClient({ url: base, headers: { "X-Scope-OrgID": "tenant-1" } });
    const at = new Date("2015-07-01T20:10:51.781Z");
    const result = await client.query('up{job=~"prom.*"}', at);

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe("/api/v1/query");
    expect(request!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request!.headers["x-scope-orgid"]).toBe("tenant-1");
    expect(request!.form.get("query")).toBe('up{job=~"prom.*"}');
    expect(request!.form.get("time")).toBe("1435781451.781");

    expect(result).toEqual({
      resultType: "vector",
      series: [
        {
          labels: { __name__: "up", job: "prometheus", instance: "localhost:9090" },
          values: [[1435781451.781, 1]],
        },
        {
          labels: { __name__: "up", job: "node", instance: "localhost:9100" },
          values: [[1435781451.781, 0]],
        },
      ],
      warnings: [],
    });
  });

  it("leaves the evaluation time to Prometheus when none is given", async () => {
    await createPrometheusClient({ url: base }).query("up");
    expect(received[0]!.form.has("time")).toBe(false);
  });

  it("keeps a path prefix of the base URL and sends its credentials as Basic authentication", async () => {
    const client = createPrometheusClient({
      url: `http://reader:s3cret@127.0.0.1:${new URL(base).port}/prom`,
    });
    await client.query("up");
    expect(received[0]!.url).toBe("/prom/api/v1/query");
    expect(received[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from("reader:s3cret").toString("base64")}`,
    );
    expect(client.url).toBe(`${base}/prom`);
  });

  it("turns NaN, +Inf and -Inf into numbers and keeps Prometheus's warnings", async () => {
    // Written by us in the API's documented shape: the special values as Prometheus encodes them.
    handler = (_request, response) =>
      answer(
        response,
        200,
        JSON.stringify({
          status: "success",
          data: {
            resultType: "vector",
            result: [
              { metric: { code: "500" }, value: [1700000000, "NaN"] },
              { metric: { code: "502" }, value: [1700000000, "+Inf"] },
              { metric: { code: "503" }, value: [1700000000, "-Inf"] },
              { metric: { code: "504" }, value: [1700000000, "1.5e-3"] },
            ],
          },
          warnings: ["PromQL info: metric might not be a counter"],
        }),
      );
    const result = await createPrometheusClient({ url: base }).query("x");
    expect(result.series.map((s) => s.values[0]![1])).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0.0015,
    ]);
    expect(result.warnings).toEqual(["PromQL info: metric might not be a counter"]);
  });

  it("returns a scalar as one series without labels", async () => {
    handler = (_request, response) =>
      answer(
        response,
        200,
        '{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"0.25"]}}',
      );
    const result = await createPrometheusClient({ url: base }).query("scalar(x)");
    expect(result).toEqual({
      resultType: "scalar",
      series: [{ labels: {}, values: [[1700000000.5, 0.25]] }],
      warnings: [],
    });
  });
});

describe("PrometheusClient.queryRange", () => {
  it("POSTs start, end and step to /api/v1/query_range and parses the documented matrix answer", async () => {
    handler = (_request, response) => answer(response, 200, MATRIX);
    const result = await createPrometheusClient({ url: base }).queryRange(
      "up",
      new Date("2015-07-01T20:10:30.781Z"),
      new Date("2015-07-01T20:11:00.781Z"),
      15,
    );
    const form = received[0]!.form;
    expect(received[0]!.url).toBe("/api/v1/query_range");
    expect([form.get("start"), form.get("end"), form.get("step")]).toEqual([
      "1435781430.781",
      "1435781460.781",
      "15",
    ]);
    expect(result.resultType).toBe("matrix");
    expect(result.series).toEqual([
      {
        labels: { __name__: "up", job: "prometheus", instance: "localhost:9090" },
        values: [
          [1435781430.781, 1],
          [1435781445.781, 1],
          [1435781460.781, 1],
        ],
      },
      {
        labels: { __name__: "up", job: "node", instance: "localhost:9091" },
        values: [
          [1435781430.781, 0],
          [1435781445.781, 0],
          [1435781460.781, 1],
        ],
      },
    ]);
  });
});

describe("retries and errors", () => {
  it("retries a 5xx and a 429, then returns the answer that came", async () => {
    handler = (_request, response, n) => {
      if (n === 1) answer(response, 503, '{"status":"error","errorType":"unavailable","error":"not ready"}');
      else if (n === 2) answer(response, 429, "slow down");
      else answer(response, 200, VECTOR);
    };
    const result = await createPrometheusClient({ url: base, retries: 2, backoff: fast }).query("up");
    expect(received).toHaveLength(3);
    expect(result.series).toHaveLength(2);
  });

  it("does not retry a 400: the PromQL error comes back with Prometheus's message", async () => {
    handler = (_request, response) =>
      answer(
        response,
        400,
        '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:9: parse error: unclosed left parenthesis"}',
      );
    const error = await createPrometheusClient({ url: base, retries: 3, backoff: fast })
      .query("sum(rate(")
      .catch((e: unknown) => e);
    expect(received).toHaveLength(1);
    expect(error).toBeInstanceOf(PrometheusError);
    expect((error as PrometheusError).message).toBe(
      `Prometheus at ${base}/api/v1/query answered 400 Bad Request: bad_data: invalid parameter "query": 1:9: parse error: unclosed left parenthesis`,
    );
    expect((error as PrometheusError).details).toMatchObject({
      kind: "query",
      status: 400,
      errorType: "bad_data",
      attempts: 1,
    });
  });

  it("gives up after the retries and says how many attempts it made", async () => {
    handler = (_request, response) => answer(response, 502, "<html>bad gateway</html>");
    const error = await createPrometheusClient({ url: base, retries: 2, backoff: fast })
      .query("up")
      .catch((e: unknown) => e);
    expect(received).toHaveLength(3);
    expect((error as PrometheusError).message).toBe(
      `Prometheus at ${base}/api/v1/query answered 502 Bad Gateway: <html>bad gateway</html> (3 attempts)`,
    );
  });

  it("times out an attempt that gets no answer, and retries it", async () => {
    handler = () => undefined; // never answers
    const error = await createPrometheusClient({ url: base, timeoutMs: 200, retries: 1, backoff: fast })
      .query("up")
      .catch((e: unknown) => e);
    expect(received).toHaveLength(2);
    expect(error).toBeInstanceOf(PrometheusError);
    expect((error as PrometheusError).message).toBe(
      `Prometheus at ${base}/api/v1/query did not answer within 200ms (2 attempts)`,
    );
    expect((error as PrometheusError).details.kind).toBe("timeout");
  });

  it("says when nothing listens at the URL", async () => {
    const port = await closedPort();
    const error = await createPrometheusClient({ url: `http://127.0.0.1:${port}`, retries: 0 })
      .query("up")
      .catch((e: unknown) => e);
    expect((error as PrometheusError).message).toBe(
      `Prometheus at http://127.0.0.1:${port}/api/v1/query is unreachable: connection refused (nothing listens there)`,
    );
  });

  it("refuses a 200 whose body is not the API's JSON, without retrying", async () => {
    handler = (_request, response) => answer(response, 200, "<html>login</html>");
    const error = await createPrometheusClient({ url: base, backoff: fast })
      .query("up")
      .catch((e: unknown) => e);
    expect(received).toHaveLength(1);
    expect((error as PrometheusError).message).toBe(
      `Prometheus at ${base}/api/v1/query answered 200 OK with a body that is not JSON: <html>login</html>`,
    );
  });

  it("rejects with the caller's abort reason, not a PrometheusError, and stops retrying", async () => {
    const controller = new AbortController();
    const reason = new Error("train cancelled");
    // The caller gives up once the query has reached Prometheus (which never answers): no timer.
    handler = () => controller.abort(reason);
    const pending = createPrometheusClient({ url: base, timeoutMs: 10_000, retries: 5 }).query(
      "up",
      undefined,
      {
        signal: controller.signal,
      },
    );
    await expect(pending).rejects.toBe(reason);
    expect(received).toHaveLength(1);
  });
});

describe("parseSampleValue", () => {
  it("reads the API's encodings of special values and decimals", () => {
    expect(parseSampleValue("NaN")).toBeNaN();
    expect(parseSampleValue("+Inf")).toBe(Number.POSITIVE_INFINITY);
    expect(parseSampleValue("-Inf")).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSampleValue("-0.5")).toBe(-0.5);
    expect(parseSampleValue("2e3")).toBe(2000);
  });
});
