// A tc egress program for scripts/seeds/tcp-trouble.sh: drops at random one in DROP_EVERY
// packets longer than 200 bytes (data segments, never the handshake or pure ACKs), so that a recording
// on the receiving side shows lost segments, duplicate ACKs and retransmissions. This kernel
// has no netem or tc actions; a BPF classifier in direct-action mode loads everywhere.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#ifndef DROP_EVERY
#define DROP_EVERY 7
#endif

SEC("tc")
int drop_some(struct __sk_buff *skb) {
  if (skb->len < 200) return TC_ACT_OK;
  // At random, not every Nth: tc's loader here keeps no global data between packets (a counter
  // in .bss read 0 every time), and the findings need not be the same from one run to the next.
  return (bpf_get_prandom_u32() % DROP_EVERY == 0) ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
