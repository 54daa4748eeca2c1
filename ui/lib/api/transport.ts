// The one seam between the UI and the server: a transport moves a request to the
// application layer and brings back a status and a body. Two implementations exist,
// ./tauri.ts (desktop shell, `invoke`) and ./http.ts (browser, `fetch`); ./client.ts picks one.

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export type QueryValue = string | number | boolean | undefined | null;

export interface ApiRequest {
  method: HttpMethod;
  /** Absolute path on the server, always starting with `/api/` (or an artifact link). */
  path: string;
  query?: Record<string, QueryValue>;
  /** A JSON value sent as `application/json`. */
  body?: unknown;
  /** Raw bytes sent as the whole body (design asset upload); excludes `body`. */
  bytes?: Uint8Array;
  contentType?: string;
  /** How to read the answer: JSON (default), text, or bytes (asset download). */
  expect?: "json" | "text" | "bytes";
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON, a string for `expect: "text"`, or a Uint8Array for `expect: "bytes"`.
   * For error statuses it is the problem+json object when the server sent one. */
  body: unknown;
  contentType?: string;
}

export interface Transport {
  readonly kind: "tauri" | "http";
  send(request: ApiRequest): Promise<ApiResponse>;
}

/** Drops empty values so `?q=` is not sent when the search box is empty. */
export function queryString(query: ApiRequest["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
