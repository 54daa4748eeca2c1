// Small line icons for the navigation, inline so nothing is fetched and no font glyph is assumed.
const PATHS: Record<string, string> = {
  configurator: "M3 7l9-4 9 4v10l-9 4-9-4V7zm9 4l9-4M12 11L3 7m9 4v10",
  catalog: "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
  customers: "M9 11a4 4 0 100-8 4 4 0 000 8zM2 21v-1a6 6 0 0112 0v1M16 3.5a4 4 0 010 7M19 21v-1a6 6 0 00-3-5.2",
  orders: "M6 3h12v18l-3-2-3 2-3-2-3 2V3zm3 5h6M9 12h6",
  cnc: "M3 5h18v14H3zM3 12h18M10 5v14",
  floor: "M4 4h4v4H4zM16 4h4v4h-4zM4 16h4v4H4zM12 12h2v2h-2zM16 16h4v4h-4zM12 4v4M4 12h4",
  chain: "M10 14a4 4 0 005.7 0l3-3a4 4 0 00-5.7-5.7l-1 1M14 10a4 4 0 00-5.7 0l-3 3a4 4 0 005.7 5.7l1-1",
  settings: "M12 8a4 4 0 100 8 4 4 0 000-8zM4 12h2m12 0h2M12 4v2m0 12v2M6.3 6.3l1.4 1.4m8.6 8.6l1.4 1.4m0-11.4l-1.4 1.4m-8.6 8.6l-1.4 1.4",
};

export function NavIcon({ name }: { name: keyof typeof PATHS | string }) {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={PATHS[name] ?? ""} />
    </svg>
  );
}
