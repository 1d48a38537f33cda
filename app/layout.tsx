import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { KeyboardHelp } from "../components/ui/shortcuts";
import { ThemeToggle } from "../components/ui/theme";
import { THEME_SCRIPT } from "../components/ui/theme-script";
import "./globals.css";

export const metadata: Metadata = {
  title: "Casefile",
  description: "A workbench for syscall and network trace investigations",
  // A local tool behind a token: nothing here is for crawlers.
  robots: { index: false, follow: false },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets data-theme on <html> before React hydrates it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            Casefile
          </Link>
          <span className="tagline">syscall capture workbench</span>
          <span className="topbar-tools">
            <span className="muted-light">press ? for keys</span>
            <ThemeToggle />
          </span>
        </header>
        <main>{children}</main>
        <KeyboardHelp />
      </body>
    </html>
  );
}
