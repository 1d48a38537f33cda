import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Casefile",
  description: "A workbench for syscall and network trace investigations",
  // A local tool behind a token: nothing here is for crawlers.
  robots: { index: false, follow: false },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            Casefile
          </Link>
          <span className="tagline">syscall capture workbench</span>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
