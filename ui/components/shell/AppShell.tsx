"use client";
// The frame around every screen: the left navigation, the connection and chain indicators, a banner
// while the server is degraded (it cannot write, e.g. its disk is full) and the pairing
// dialog that opens whenever the API answers 401. The customer's pages get none of it.
// Served by HQ (SPEC §15, `mode: "hq"` in its health) it offers only what HQ has, the chain
// view and the catalog, and a 401 asks for HQ's admin token instead of pairing.
import { Badge, Box, Button, Flex, Stack, Text, VisuallyHidden } from "@chakra-ui/react";
import NextLink from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { api, onUnauthorized } from "@/lib/api/client";
import { onHqUnauthorized } from "@/lib/api/hq";
import { readDeviceToken, writeDeviceToken } from "@/lib/api/http";
import { useServerMode } from "@/lib/serverMode";
import { useSession } from "@/stores/session";
import { BackupOverdueBanner } from "@/components/settings/BackupsSection";
import { ChainIndicator } from "./ChainIndicator";
import { NavIcon } from "./NavIcon";
import dynamic from "next/dynamic";

// Loaded only when a 401 asks for pairing, so the dialog machinery stays out of first-load JS.
const PairingDialog = dynamic(() => import("./PairingDialog").then((module) => module.PairingDialog), { ssr: false });
const HqSignInDialog = dynamic(() => import("./HqSignInDialog").then((module) => module.HqSignInDialog), { ssr: false });

const NAV = [
  { href: "/", label: "Configurator", icon: "configurator" },
  { href: "/catalog/", label: "Catalog", icon: "catalog" },
  { href: "/customers/", label: "Customers", icon: "customers" },
  { href: "/orders/", label: "Orders", icon: "orders" },
  { href: "/cnc/", label: "CNC", icon: "cnc" },
  { href: "/floor/", label: "Floor", icon: "floor" },
  { href: "/settings/", label: "Settings", icon: "settings" },
];

/** What HQ has: the chain view and the chain's catalog. */
const HQ_NAV = [
  { href: "/chain/", label: "Chain", icon: "chain" },
  { href: "/catalog/", label: "Catalog", icon: "catalog" },
];

const HEALTH_POLL_MS = 15_000;

/** The server's lowercase reason as a sentence for the banner. */
function sentence(reason: string): string {
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
}

function isActive(pathname: string, href: string): boolean {
  const path = pathname.endsWith("/") ? pathname : `${pathname}/`;
  return href === "/" ? path === "/" : path.startsWith(href);
}

/** Pages a customer opens (the shared design on their phone): no staff navigation, no pairing. */
export function isCustomerPage(pathname: string): boolean {
  return pathname === "/share" || pathname.startsWith("/share/");
}

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname() ?? "/";
  // The customer's phone has no device token: a 401 there is the share link's, not a reason to pair.
  if (isCustomerPage(pathname)) return <>{children}</>;
  return <StaffShell pathname={pathname}>{children}</StaffShell>;
}

function StaffShell({ pathname, children }: { pathname: string; children: ReactNode }) {
  const dispatch = useSession((state) => state.dispatch);
  const pairingOpen = useSession((state) => state.pairingOpen);
  const [connection, setConnection] = useState<"checking" | "online" | "offline">("checking");
  const [transport, setTransport] = useState<string>("");
  const [degraded, setDegraded] = useState<string | null>(null);
  const mode = useServerMode();
  const atHq = mode === "hq";
  // The site's own lines (chain status, overdue backup) wait for the mode, so HQ is never asked.
  const atSite = mode === "site";
  const [signedIn, setSignedIn] = useState(false);

  useEffect(() => onUnauthorized(() => dispatch({ type: "pairing_required" })), [dispatch]);
  useEffect(() => onHqUnauthorized(() => dispatch({ type: "pairing_required" })), [dispatch]);
  useEffect(() => setSignedIn(Boolean(readDeviceToken())), [atHq]);
  useEffect(() => {
    const client = api();
    setTransport(client.transport === "tauri" ? "Desktop" : "Browser");
    const check = () =>
      client.health().then(
        (health) => {
          setConnection("online");
          setDegraded(health.status === "degraded" ? (health.reason ?? "the server cannot save changes") : null);
        },
        () => setConnection("offline"),
      );
    void check();
    // Polled, so the banner appears when the disk fills and goes once there is room again.
    const timer = setInterval(check, HEALTH_POLL_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    // Below 1024 px (phones, and tablets such as the shop floor's 800-px portrait ones) the
    // navigation is a bar across the top, so the page keeps the whole width.
    <Flex minH="100vh" direction={{ base: "column", lg: "row" }}>
      <Box
        as="nav"
        aria-label="Main"
        w={{ base: "100%", lg: "220px" }}
        flexShrink={0}
        bg="brand.900"
        color="white"
        px="3"
        py={{ base: "3", lg: "5" }}
        position={{ lg: "sticky" }}
        top="0"
        h={{ lg: "100vh" }}
      >
        <Flex align="center" gap="2" px="2" mb={{ base: "2", lg: "8" }}>
          <Box w="7" h="7" borderRadius="md" bg="brand.400" aria-hidden />
          <Text fontWeight="bold" fontSize="lg" letterSpacing="wide">
            Paform
          </Text>
          {atHq ? (
            <Badge size="sm" bg="orange.200" color="orange.950" data-testid="hq-badge">
              HQ
            </Badge>
          ) : null}
        </Flex>
        <Stack as="ul" gap="1" listStyleType="none" direction={{ base: "row", lg: "column" }} wrap="wrap">
          {(atHq ? HQ_NAV : NAV).map((item) => {
            const active = isActive(pathname, item.href);
            return (
              <li key={item.href}>
                <NextLink href={item.href} aria-current={active ? "page" : undefined} prefetch={false}>
                  <Flex
                    align="center"
                    gap="3"
                    px="3"
                    py="2"
                    borderRadius="md"
                    bg={active ? "whiteAlpha.200" : "transparent"}
                    fontWeight={active ? "semibold" : "normal"}
                    _hover={{ bg: "whiteAlpha.100" }}
                  >
                    <NavIcon name={item.icon} />
                    {item.label}
                  </Flex>
                </NextLink>
              </li>
            );
          })}
        </Stack>
        <Box display={{ base: "none", lg: "block" }} position="absolute" bottom="5" left="5" right="5" fontSize="xs">
          <Flex align="center" gap="2">
            <Box
              aria-hidden
              w="2"
              h="2"
              borderRadius="full"
              bg={connection === "online" ? "green.300" : connection === "offline" ? "red.300" : "gray.300"}
            />
            <Text color="whiteAlpha.900">
              {connection === "online" ? "Connected" : connection === "offline" ? "Server unreachable" : "Connecting…"}
            </Text>
          </Flex>
          {atSite ? <ChainIndicator /> : null}
          {transport ? (
            <Badge mt="2" size="xs" variant="subtle" colorPalette="gray">
              {transport}
            </Badge>
          ) : null}
        </Box>
        {atHq && signedIn ? (
          <Box mt={{ base: "2", lg: "0" }} position={{ lg: "absolute" }} bottom={{ lg: "24" }} left={{ lg: "5" }}>
            <Button
              size="xs"
              variant="outline"
              color="white"
              borderColor="whiteAlpha.500"
              _hover={{ bg: "whiteAlpha.200" }}
              onClick={() => {
                writeDeviceToken(null);
                window.location.assign("/chain/");
              }}
            >
              Sign out of HQ
            </Button>
          </Box>
        ) : null}
      </Box>
      <Box as="main" flex="1" minW="0" px={{ base: "4", lg: "8" }} py="6">
        <VisuallyHidden>
          <a href="#content">Skip to content</a>
        </VisuallyHidden>
        {degraded ? (
          <Box role="alert" mb="4" px="4" py="3" borderRadius="md" bg="orange.100" color="orange.900" borderWidth="1px" borderColor="orange.300">
            <Text fontWeight="semibold">Changes cannot be saved right now</Text>
            <Text fontSize="sm">
              {sentence(degraded)} Everything saved so far is safe and can still be viewed.
            </Text>
          </Box>
        ) : null}
        {atSite ? <BackupOverdueBanner /> : null}
        <div id="content">{children}</div>
      </Box>
      {pairingOpen ? atHq ? <HqSignInDialog /> : <PairingDialog /> : null}
    </Flex>
  );
}
