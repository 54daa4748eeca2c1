// The Chakra system for Paform: system fonts only (nothing is fetched at run time), a warm
// "brand" palette for primary actions and contrast-checked semantic tokens.
import { createSystem, defaultConfig, defineConfig } from "@chakra-ui/react";

const SYSTEM_FONTS =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif';
const MONO_FONTS = 'ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace';

const config = defineConfig({
  theme: {
    tokens: {
      fonts: {
        heading: { value: SYSTEM_FONTS },
        body: { value: SYSTEM_FONTS },
        mono: { value: MONO_FONTS },
      },
      colors: {
        brand: {
          50: { value: "#f3f6f4" },
          100: { value: "#e0e9e3" },
          200: { value: "#c1d3c7" },
          300: { value: "#97b5a1" },
          400: { value: "#6a9179" },
          500: { value: "#4a735b" },
          600: { value: "#385b47" },
          700: { value: "#2d4939" },
          800: { value: "#243a2e" },
          900: { value: "#1c2e24" },
          950: { value: "#0f1a14" },
        },
      },
    },
    semanticTokens: {
      colors: {
        brand: {
          solid: { value: "{colors.brand.600}" },
          contrast: { value: "white" },
          fg: { value: "{colors.brand.700}" },
          muted: { value: "{colors.brand.100}" },
          subtle: { value: "{colors.brand.50}" },
          emphasized: { value: "{colors.brand.200}" },
          focusRing: { value: "{colors.brand.500}" },
        },
      },
    },
  },
  globalCss: {
    "html, body": { bg: "gray.50", color: "gray.900" },
  },
});

export const system = createSystem(defaultConfig, config);
