// The join code HQ shows for a new site (SPEC §15): the JSON text
// `{"hq":"<HQ's address as the browser sees it>","token":"<node token>"}`, shown as text and as
// a QR code. Settings → Chain on the site reads it back into the HQ address and node token.

export interface JoinCode {
  hqUrl: string;
  token: string;
}

/** The code for `token` at HQ's `hqUrl` (its origin: no path, no trailing slash). */
export function makeJoinCode(hqUrl: string, token: string): string {
  return JSON.stringify({ hq: hqUrl.replace(/\/+$/, ""), token });
}

/**
 * Reads a pasted or scanned code: the HQ address (http or https) and the token, or null when
 * the text is not a join code (so a field can say so instead of filling anything).
 */
export function parseJoinCode(text: string): JoinCode | null {
  let value: unknown;
  try {
    value = JSON.parse(text.trim());
  } catch {
    return null;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const { hq, token } = value as { hq?: unknown; token?: unknown };
  if (typeof hq !== "string" || typeof token !== "string") return null;
  const hqUrl = hq.trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s/]+/i.test(hqUrl) || !token.trim()) return null;
  return { hqUrl, token: token.trim() };
}
