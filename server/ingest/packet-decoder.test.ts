// The ingest's decoder (summaryDecoder: one summary object decoded anew for every packet) against
// decodePacket's new object per packet, on every packet of every pcap fixture: the same summary,
// field for field, so that nothing of a packet is left over in the next one's (a field
// Dissection.next does not clear, a decoder that keeps state in the Dissection).

import { test } from "node:test";
import assert from "node:assert/strict";
import { decodePacket, summaryDecoder } from "../core/packets/decode";
import { fixturePcaps } from "../testing/oracle";
import { readPacketFile } from "./packet-stream";

test("summaryDecoder gives every fixture packet decodePacket's summary", { timeout: 120_000 }, async () => {
  const decode = summaryDecoder({ tcpInfoText: false });
  let packets = 0;
  for (const file of fixturePcaps()) {
    await readPacketFile(file, {
      onPacket(raw) {
        const want = decodePacket(raw, { layers: false, tcpInfoText: false });
        const got = decode(raw);
        assert.deepEqual({ ...got }, { ...want }, `${file} packet ${raw.num}`);
        assert.deepEqual(Object.keys(got), Object.keys(want), `${file} packet ${raw.num}: the fields' order (one object shape)`);
        packets++;
      },
      onError() {
        // A damaged file: its whole packets were compared.
      },
    });
  }
  assert.ok(packets > 3000, `only ${packets} packets compared`);
});
