/** The load both layouts generate: autocannon, every request a new artifact. */
import autocannon from "autocannon";

/** A generator of request bodies: 50 components, versions 1.0.0, 1.0.1, …, unique commits. */
export function pushBodies(components) {
  let pushed = 0;
  return () => {
    const n = pushed++;
    const component = components[n % components.length];
    const version = `1.0.${Math.floor(n / components.length)}`;
    return JSON.stringify({
      component,
      version,
      commit: n.toString(16).padStart(40, "0"),
      buildUrl: `https://ci.example.com/${component}/builds/${n}`,
      digest: `sha256:${n.toString(16).padStart(64, "0")}`,
    });
  };
}

/** Runs autocannon against `url` for `duration` seconds. */
export function cannon(url, token, duration, settings, nextBody) {
  return autocannon({
    url: `${url}/api/v1/artifacts`,
    connections: settings.connections,
    pipelining: 1,
    duration,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        setupRequest: (request) => ({ ...request, body: nextBody() }),
      },
    ],
  });
}

/** The figures of an autocannon result the report shows. */
export function httpResult(result) {
  const codes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    seconds: result.duration,
    latency: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: codes,
  };
}
