// Browser transport: same-origin `fetch` against the REST API of `paform serve`.
// When the device is paired, the token kept in localStorage goes out as a bearer token;
// a 401 is reported to the caller (./client.ts opens the pairing dialog).
import { TransportError } from "./problem";
import { queryString, type ApiRequest, type ApiResponse, type Transport } from "./transport";

export const TOKEN_STORAGE_KEY = "paform.device_token";

export function readDeviceToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function writeDeviceToken(token: string | null): void {
  try {
    if (token) globalThis.localStorage?.setItem(TOKEN_STORAGE_KEY, token);
    else globalThis.localStorage?.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Storage may be disabled (private mode); the token then lasts for this page only.
  }
}

export function createHttpTransport(fetchImpl: typeof fetch = (...args) => fetch(...args)): Transport {
  return {
    kind: "http",
    async send(request: ApiRequest): Promise<ApiResponse> {
      const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
      const token = readDeviceToken();
      if (token) headers.Authorization = `Bearer ${token}`;
      let body: BodyInit | undefined;
      if (request.bytes) {
        headers["Content-Type"] = request.contentType ?? "application/octet-stream";
        body = request.bytes as unknown as BodyInit;
      } else if (request.body !== undefined) {
        headers["Content-Type"] = "application/json";
        body = JSON.stringify(request.body);
      }
      let response: Response;
      try {
        response = await fetchImpl(request.path + queryString(request.query), {
          method: request.method,
          headers,
          body,
          credentials: "same-origin",
        });
      } catch (cause) {
        throw new TransportError("the Paform server cannot be reached", { cause });
      }
      const contentType = response.headers.get("content-type") ?? undefined;
      return { status: response.status, body: await readBody(response, request, contentType), contentType };
    },
  };
}

async function readBody(response: Response, request: ApiRequest, contentType?: string): Promise<unknown> {
  if (response.status === 204) return null;
  const isJson = contentType?.includes("json") ?? false;
  if (response.ok && request.expect === "bytes") return new Uint8Array(await response.arrayBuffer());
  if (response.ok && request.expect === "text") return response.text();
  const text = await response.text();
  if (!text) return null;
  if (isJson || request.expect === undefined || request.expect === "json") {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
