"use client";
// Reads a part label's QR code with the tablet's camera: the browser's own `BarcodeDetector`
// where it exists (Chrome on Android, Safari 17+), otherwise ZXing's decoder, loaded only
// when the camera is opened so it stays out of the page's first load.
import { Box, Button, Text } from "@chakra-ui/react";
import { useEffect, useRef, useState } from "react";

interface DetectedCode {
  rawValue: string;
}
interface Detector {
  detect(source: HTMLVideoElement): Promise<DetectedCode[]>;
}
type DetectorClass = new (options: { formats: string[] }) => Detector;

/** How often a frame is examined by `BarcodeDetector`. */
const DETECT_EVERY_MS = 250;

/** `label` names the button ("Scan with camera" on the floor), `size` its size. */
export function CameraScanner({
  onCode,
  label = "Scan with camera",
  size = "lg",
}: {
  onCode: (code: string) => void;
  label?: string;
  size?: "sm" | "lg";
}) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const report = useRef(onCode);
  report.current = onCode;

  useEffect(() => {
    if (!open || !video.current) return;
    const element = video.current;
    let stopped = false;
    let stop: () => void = () => {};
    const detectorClass = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
    const found = (text: string) => {
      if (stopped) return;
      report.current(text.trim());
      setOpen(false);
    };
    (async () => {
      try {
        if (detectorClass) {
          const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
          if (stopped) return stream.getTracks().forEach((track) => track.stop());
          element.srcObject = stream;
          await element.play();
          const detector = new detectorClass({ formats: ["qr_code"] });
          const timer = setInterval(() => {
            void detector.detect(element).then((codes) => {
              if (codes[0]) found(codes[0].rawValue);
            }, () => undefined);
          }, DETECT_EVERY_MS);
          stop = () => {
            clearInterval(timer);
            stream.getTracks().forEach((track) => track.stop());
          };
        } else {
          const { BrowserQRCodeReader } = await import("@zxing/browser");
          const controls = await new BrowserQRCodeReader().decodeFromVideoDevice(undefined, element, (result) => {
            if (result) found(result.getText());
          });
          stop = () => controls.stop();
        }
        if (stopped) stop();
      } catch (caught) {
        setProblem(caught instanceof Error ? caught.message : "the camera could not be opened");
        setOpen(false);
      }
    })();
    return () => {
      stopped = true;
      stop();
    };
  }, [open]);

  return (
    <Box>
      <Button size={size} variant="outline" type="button" onClick={() => { setProblem(null); setOpen((value) => !value); }}>
        {open ? "Close camera" : label}
      </Button>
      {open ? (
        <Box mt="3" maxW="480px" borderWidth="1px" borderRadius="md" overflow="hidden">
          <video ref={video} muted playsInline style={{ width: "100%" }} aria-label="Camera preview" />
        </Box>
      ) : null}
      {problem ? (
        <Text mt="2" color="red.700" role="alert">
          Camera: {problem}. Type the code instead.
        </Text>
      ) : null}
    </Box>
  );
}
