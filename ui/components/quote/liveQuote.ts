// The live quote: every change of the configuration asks the server for an exact quote,
// debounced, and only the answer to the latest request is ever shown as current.
// While a newer request is pending the previous quote is kept but marked stale, so a sales
// person never reads an out-of-date total as the price.
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

/** Requests a quote for `items` whenever their content changes. */
export function useLiveQuote(items: QuoteItemInput[], debounceMs = QUOTE_DEBOUNCE_MS): LiveQuoteState {
  const [state, dispatch] = useReducer(reduceLiveQuote, { status: "empty" } as LiveQuoteState);
  const latest = useRef(0);
  const key = JSON.stringify(items);

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
      api()
        .generateQuote({ items: parsed })
        .then((quote) => {
          if (latest.current === request) dispatch({ type: "received", quote });
        })
        .catch((error: unknown) => {
          if (latest.current === request) dispatch({ type: "failed", error: describeError(error) });
        });
    }, debounceMs);
    return () => clearTimeout(timer);
  }, [key, debounceMs]);

  return state;
}
