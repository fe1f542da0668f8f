// The API's one error shape (drf-standardized-errors, shared/web/api.py), as a JS Error.
//   {"type": "validation_error", "errors": [{"code": "required", "detail": "...", "attr": "city"}]}
// 400 validation_error (attr = the field), 401/403/404/409/429 client_error, 5xx server_error.

export type ErrorItem = { code: string; detail: string; attr: string | null };

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly errors: ErrorItem[];

  constructor(status: number, type: string, errors: ErrorItem[]) {
    super(errors.map((e) => e.detail).join(" ") || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.type = type;
    this.errors = errors;
  }

  /** The messages about one form field, e.g. fieldErrors("city"). */
  fieldErrors(attr: string): string[] {
    return this.errors.filter((e) => e.attr === attr).map((e) => e.detail);
  }

  /** The messages not about a field the form shows (non_field_errors, null, or unknown). */
  otherErrors(shownFields: string[]): string[] {
    return this.errors.filter((e) => !e.attr || !shownFields.includes(e.attr)).map((e) => e.detail);
  }
}

function isErrorBody(body: unknown): body is { type: string; errors: ErrorItem[] } {
  const b = body as { type?: unknown; errors?: unknown } | null;
  return typeof b?.type === "string" && Array.isArray(b.errors);
}

/** Turn any failed answer into an ApiError, even one that is not the API's (a proxy's 502). */
export function toApiError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) {
    return new ApiError(status, body.type, body.errors);
  }
  const type = status >= 500 ? "server_error" : "client_error";
  return new ApiError(status, type, [
    { code: "unexpected_response", detail: `The server answered ${status}.`, attr: null },
  ]);
}
