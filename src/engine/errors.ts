/**
 * The engine's errors. Each has a stable `code` the HTTP API turns into a problem+json `type`
 * and a status, and a message that says what is wrong and how to fix it.
 */

export type ErrorCode =
  | "not-found"
  | "conflict"
  | "invalid-input"
  | "unauthorized"
  | "forbidden"
  | "invalid-config";

const STATUS: Record<ErrorCode, number> = {
  "not-found": 404,
  conflict: 409,
  "invalid-input": 400,
  unauthorized: 401,
  forbidden: 403,
  "invalid-config": 422,
};

/** Base class of every error the engine means a user to see. */
export class RailyardError extends Error {
  override readonly name: string = "RailyardError";
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

/** Thrown when a train, artifact, line, component or token does not exist. */
export class NotFoundError extends RailyardError {
  override readonly name = "NotFoundError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("not-found", message, details);
  }
}

/** Thrown when a request is valid but the current state does not allow it (illegal transition, duplicate). */
export class ConflictError extends RailyardError {
  override readonly name = "ConflictError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("conflict", message, details);
  }
}

/** Thrown when input fails validation; `details.problems` lists what and where. */
export class InvalidInputError extends RailyardError {
  override readonly name = "InvalidInputError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("invalid-input", message, details);
  }
}

/** Thrown when a request carries no valid credentials. */
export class UnauthorizedError extends RailyardError {
  override readonly name = "UnauthorizedError";
  constructor(message = "a valid bearer token is required: send `Authorization: Bearer <token>`") {
    super("unauthorized", message);
  }
}

/** Thrown when the caller is known but may not do this. */
export class ForbiddenError extends RailyardError {
  override readonly name = "ForbiddenError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("forbidden", message, details);
  }
}

/** Thrown when a configuration is rejected; `details.problems` holds FILE:LINE:COLUMN problems. */
export class InvalidConfigError extends RailyardError {
  override readonly name = "InvalidConfigError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("invalid-config", message, details);
  }
}
