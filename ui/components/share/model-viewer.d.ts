// The `<model-viewer>` element as JSX knows it: only the attributes RoomView sets.
import type { DetailedHTMLProps, HTMLAttributes } from "react";

declare module "react" {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      "model-viewer": DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
        src?: string;
        alt?: string;
        ar?: boolean;
        "ar-modes"?: string;
        "ar-scale"?: string;
        "camera-controls"?: boolean;
        "touch-action"?: string;
        loading?: "auto" | "lazy" | "eager";
        reveal?: "auto" | "manual";
        "shadow-intensity"?: string;
      };
    }
  }
}
