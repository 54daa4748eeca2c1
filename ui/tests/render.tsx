import { ChakraProvider } from "@chakra-ui/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createApi, setApiForTesting, type PaformApi } from "@/lib/api/client";
import type { ApiRequest, ApiResponse, Transport } from "@/lib/api/transport";
import { system } from "@/theme";

export function renderUi(ui: ReactElement) {
  // Components with server state (document buttons, design bar) need a query client.
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ChakraProvider value={system}>{ui}</ChakraProvider>
    </QueryClientProvider>,
  );
}

/** A transport answering from a table of `METHOD /path` → response; records every request. */
export function fakeTransport(routes: Record<string, ApiResponse | ((request: ApiRequest) => ApiResponse)>) {
  const requests: ApiRequest[] = [];
  const transport: Transport = {
    kind: "http",
    async send(request) {
      requests.push(request);
      const route = routes[`${request.method} ${request.path}`];
      if (!route) return { status: 404, body: { title: "Not found", status: 404 } };
      return typeof route === "function" ? route(request) : route;
    },
  };
  return { transport, requests };
}

export function useFakeApi(routes: Parameters<typeof fakeTransport>[0]): { api: PaformApi; requests: ApiRequest[] } {
  const { transport, requests } = fakeTransport(routes);
  const client = createApi(transport);
  setApiForTesting(client);
  return { api: client, requests };
}
