import Link from "next/link";

export default function NotFound() {
  return (
    <section className="panel">
      <h1>Not found</h1>
      <p>There is no such capture or page here. It may have been deleted.</p>
      <p>
        <Link href="/">Back to the captures</Link>
      </p>
    </section>
  );
}
