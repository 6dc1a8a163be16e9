/**
 * The CLI's HTTP client for a running Railyard server (`--server` / RAILYARD_SERVER, token from
 * `--token` / RAILYARD_TOKEN). Problem answers become {@link ApiError}s carrying the server's words.
 */

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problem: Record<string, unknown> | null,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  server: string;
  token?: string | undefined;
  /** Per-request limit. @default 30 s */
  timeoutMs?: number;
}

export class RailyardClient {
  readonly server: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  /** @throws {Error} when `server` is not an http:// or https:// URL */
  constructor(options: ClientOptions) {
    this.server = options.server.replace(/\/+$/, "");
    if (!/^https?:\/\/[^/\s]/i.test(this.server) || !URL.canParse(this.server)) {
      throw new Error(
        `--server "${options.server}" is not an http:// or https:// URL; write it like http://127.0.0.1:7300 (or set RAILYARD_SERVER)`,
      );
    }
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Sends `body` as JSON (when given) and returns the parsed answer. @throws {ApiError} */
  request<T>(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    return this.exchange<T>(
      method,
      path,
      body === undefined ? undefined : { content: JSON.stringify(body), contentType: "application/json" },
      timeoutMs,
    );
  }

  /**
   * Sends a document as it is (a report file), with its content type, and returns the parsed
   * answer. @throws {ApiError}
   */
  upload<T>(
    method: string,
    path: string,
    content: string,
    contentType: string,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    return this.exchange<T>(method, path, { content, contentType }, timeoutMs);
  }

  private async exchange<T>(
    method: string,
    path: string,
    body: { content: string; contentType: string } | undefined,
    timeoutMs: number,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = body.contentType;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(`${this.server}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: body.content }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw unreachable(this.server, error, timeoutMs);
    }
    const text = await response.text();
    const parsed = text ? safeJson(text) : null;
    if (!response.ok) {
      const problem = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
      const detail = typeof problem?.detail === "string" ? problem.detail : text || response.statusText;
      const code = typeof problem?.code === "string" ? problem.code : String(response.status);
      let message = detail;
      if (response.status === 401) {
        message += this.token
          ? " (check --token / RAILYARD_TOKEN; an admin creates tokens with `railyard token create`)"
          : " (set RAILYARD_TOKEN or pass --token)";
      }
      throw new ApiError(response.status, code, message, problem);
    }
    return parsed as T;
  }

  /** Streams a response body line by line (audit export). */
  async *lines(path: string): AsyncGenerator<string> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(`${this.server}${path}`, { headers });
    } catch (error) {
      throw unreachable(this.server, error, null);
    }
    if (!response.ok || !response.body) {
      const text = await response.text();
      const problem = safeJson(text) as Record<string, unknown> | null;
      throw new ApiError(
        response.status,
        String(problem?.code ?? response.status),
        String(problem?.detail ?? text),
        problem,
      );
    }
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        yield buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
    }
    if (buffer) yield buffer;
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ETIMEDOUT: "connection timed out",
};

/** The error for a request that got no HTTP answer, saying why and how to fix it. */
function unreachable(server: string, error: unknown, timeoutMs: number | null): ApiError {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  const why =
    err.name === "TimeoutError"
      ? `no answer within ${timeoutMs === null ? "the time limit" : `${timeoutMs / 1000} s`}`
      : (NETWORK_CODES[err.cause?.code ?? ""] ?? err.cause?.message ?? err.message);
  return new ApiError(
    0,
    "unreachable",
    `cannot reach the Railyard server at ${server} (${why}); start one with \`railyard serve\` or \`npm start\`, or point --server / RAILYARD_SERVER at it`,
    null,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
