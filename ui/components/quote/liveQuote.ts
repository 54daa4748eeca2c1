// The live quote: every change of the configuration asks the server for an exact quote,
// debounced, and only the answer to the latest request is ever shown as current.
// While a newer request is pending the previous quote is kept but marked stale, so a sales
// person never reads an out-of-date total as the price.
import { useMutation } from "@tanstack/react-query";
import { useEffect, useReducer, useRef } from "react";
import { api } from "@/lib/api/client";
import { describeError } from "@/lib/api/problem";
import type { QuoteItemInput } from "@/lib/api/types";
import type { Quote } from "@/lib/api/views";

export type LiveQuoteState =
  | { status: "empty" }
  | { status: "loading" }
  | { status: "fresh"; quote: Quote }
  | { status: "stale"; quote: Quote }
  | { status: "error"; error: string; quote: Quote | null };

export type LiveQuoteAction =
  | { type: "cleared" }
  | { type: "changed" }
  | { type: "received"; quote: Quote }
  | { type: "failed"; error: string };

export function reduceLiveQuote(state: LiveQuoteState, action: LiveQuoteAction): LiveQuoteState {
  switch (action.type) {
    case "cleared":
      return { status: "empty" };
    case "changed": {
      const previous = "quote" in state ? state.quote : null;
      return previous ? { status: "stale", quote: previous } : { status: "loading" };
    }
    case "received":
      return { status: "fresh", quote: action.quote };
    case "failed":
      return { status: "error", error: action.error, quote: "quote" in state ? state.quote : null };
  }
}

export const QUOTE_DEBOUNCE_MS = 350;

/** Requests a quote for `items` whenever their content changes. Each request prices and
 * stores a quote on the server, so it is a TanStack Query mutation; its per-call callbacks
 * fire only for the latest call, and `latest` also drops an answer that arrives after the
 * items changed again but before the debounced request for them went out. */
export function useLiveQuote(items: QuoteItemInput[], debounceMs = QUOTE_DEBOUNCE_MS): LiveQuoteState {
  const [state, dispatch] = useReducer(reduceLiveQuote, { status: "empty" } as LiveQuoteState);
  const latest = useRef(0);
  const key = JSON.stringify(items);
  const { mutate } = useMutation({
    mutationKey: ["quote", "generate"],
    mutationFn: (quoteItems: QuoteItemInput[]) => api().generateQuote({ items: quoteItems }),
  });

  useEffect(() => {
    const request = latest.current + 1;
    latest.current = request;
    const parsed = JSON.parse(key) as QuoteItemInput[];
    if (parsed.length === 0) {
      dispatch({ type: "cleared" });
      return;
    }
    dispatch({ type: "changed" });
    const timer = setTimeout(() => {
      mutate(parsed, {
        onSuccess: (quote) => {
          if (latest.current === request) dispatch({ type: "received", quote });
        },
        onError: (error) => {
          if (latest.current === request) dispatch({ type: "failed", error: describeError(error) });
        },
      });
    }, debounceMs);
    return () => clearTimeout(timer);
  }, [key, debounceMs, mutate]);

  return state;
}
