/** Network failures of `fetch` in words people read (gates' evidence, Prometheus errors). */

/**
 * Describes a failed request: a known cause in plain words (`known: true`), else the error's own
 * message with its code.
 */
export function describeNetworkError(error: unknown): { text: string; known: boolean } {
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
  const code = cause?.code ?? (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ECONNREFUSED":
      return { text: "connection refused (nothing listens there)", known: true };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { text: "host not found", known: true };
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return { text: "connection closed by the server before it answered", known: true };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return { text: "host unreachable", known: true };
    case "CERT_HAS_EXPIRED":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return { text: `TLS certificate not accepted (${code})`, known: true };
    default: {
      const message = cause?.message ?? (error as Error).message ?? String(error);
      return { text: code ? `${message} (${code})` : message, known: false };
    }
  }
}
