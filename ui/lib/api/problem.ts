// RFC 9457 problem details as the UI sees them. Both transports produce an `ApiError`
// for any status >= 400, so screens handle errors one way whichever shell they run in.
import type { CheckMismatchWire, ProblemDetails, ProblemFieldError } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly type?: string;
  readonly fieldErrors: ProblemFieldError[];
  /** The three-way check's mismatches, when it refused a move to production (409). */
  readonly mismatches: CheckMismatchWire[];

  constructor(status: number, problem: ProblemDetails) {
    const title = problem.title || defaultTitle(status);
    super(problem.detail ? `${title}: ${problem.detail}` : title);
    this.name = "ApiError";
    this.status = status;
    this.title = title;
    this.detail = problem.detail;
    this.type = problem.type;
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
    this.mismatches = Array.isArray(problem.mismatches) ? problem.mismatches : [];
  }

  /** The message for one form field, matching `dimensions.width` or `width` alike. */
  fieldMessage(field: string): string | undefined {
    const hit = this.fieldErrors.find(
      (error) => error.field === field || error.field.endsWith(`.${field}`),
    );
    return hit?.message;
  }
}

/** A network failure or an unreachable desktop backend: no status from the server at all. */
export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransportError";
  }
}

export function toProblem(status: number, body: unknown): ProblemDetails {
  if (body && typeof body === "object") return body as ProblemDetails;
  if (typeof body === "string" && body.trim()) return { status, title: defaultTitle(status), detail: body };
  return { status, title: defaultTitle(status) };
}

function defaultTitle(status: number): string {
  switch (status) {
    case 400: return "Bad request";
    case 401: return "Device not paired";
    case 404: return "Not found";
    case 409: return "Conflict";
    case 413: return "Too large";
    case 422: return "Invalid input";
    case 503: return "Not configured";
    default: return status >= 500 ? "Server error" : `Request failed (${status})`;
  }
}

/** A human sentence for any thrown value, for alerts. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.fieldErrors.map((item) => `${item.field}: ${item.message}`);
    return [error.message, ...fields].join(" · ");
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
