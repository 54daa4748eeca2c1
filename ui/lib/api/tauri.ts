// Desktop transport: every request goes through ONE Tauri command, `api_request`, which the
// shell (src-tauri) forwards to the same paform-app use cases the REST handlers call.
//
// Contract of the `api_request` command (the desktop side implements exactly this):
//
//   invoke("api_request", { request: {
//     method: "GET" | "POST" | "PUT" | "DELETE",
//     path:   "/api/orders/0190…/transitions",   // the REST path, same routes as paform-http
//     query:  { "limit": "50", "q": "oak" },      // string values; empty keys omitted; {} if none
//     body:   <any JSON value> | null,            // the JSON request body, null when none
//     body_base64?:  "…",                         // raw request body (asset upload) instead of `body`
//     content_type?: "model/gltf-binary"          // content type of body_base64
//   }})
//   → resolves to { status: 201, body: <JSON value> | null,
//                   body_base64?: "…", content_type?: "…" }   // bytes answers (asset download)
//
// Errors are answers, not rejections: a problem is returned as `{status: 4xx/5xx, body:
// <problem+json object>}`, exactly as the HTTP API would render it. A rejected promise means
// the command itself failed (not registered, shell crashed) and becomes a TransportError.
// The desktop shell needs no bearer token: it is the local user's own process.
import { TransportError } from "./problem";
import type { ApiRequest, ApiResponse, Transport } from "./transport";

interface TauriAnswer {
  status: number;
  body?: unknown;
  body_base64?: string | null;
  content_type?: string | null;
}

type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

async function defaultInvoke<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  const core = await import("@tauri-apps/api/core");
  return core.invoke<T>(command, args);
}

export function createTauriTransport(invoke: Invoke = defaultInvoke): Transport {
  return {
    kind: "tauri",
    async send(request: ApiRequest): Promise<ApiResponse> {
      const query: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.query ?? {})) {
        if (value !== undefined && value !== null && value !== "") query[key] = String(value);
      }
      const payload: Record<string, unknown> = {
        method: request.method,
        path: request.path,
        query,
        body: request.bytes ? null : (request.body ?? null),
      };
      if (request.bytes) {
        payload.body_base64 = bytesToBase64(request.bytes);
        payload.content_type = request.contentType ?? "application/octet-stream";
      }
      let answer: TauriAnswer;
      try {
        answer = await invoke<TauriAnswer>("api_request", { request: payload });
      } catch (cause) {
        throw new TransportError(`the desktop backend failed: ${String(cause)}`, { cause });
      }
      let body: unknown = answer.body ?? null;
      if (answer.body_base64) {
        const bytes = base64ToBytes(answer.body_base64);
        body = request.expect === "text" ? new TextDecoder().decode(bytes) : bytes;
      } else if (request.expect === "text" && typeof body !== "string" && body !== null) {
        body = JSON.stringify(body);
      }
      return { status: answer.status, body, contentType: answer.content_type ?? undefined };
    },
  };
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let index = 0; index < bytes.length; index += chunk) {
    binary += String.fromCharCode(...bytes.subarray(index, index + chunk));
  }
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
