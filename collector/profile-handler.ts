// The collector's answer to the server's `profile` request (collector/PROTOCOL.md):
//   server → collector  {"type":"profile","request","seconds","pid"?,"hz"?}
//   collector → server  {"type":"profile-result","request","text","sections":[{name,unit,stacks,total}]}
//                       or {"type":"profile-result","request","error"}
// `text` is the casefile profile (server/core/formats/stacks/casefile-profile.ts). One profile
// at a time per collector: the profiler samples every CPU, a second one would only add cost.

import { recordProfile, type ProfileOptions } from "./profile";
import { readProfileRequest } from "../server/live/profile-requests";

export { readProfileRequest };

/** A ProfileHandler for CollectorClient.onProfile. `record` is replaceable for tests of the
 *  message handling; the default runs bpf/profiler. */
export function profileHandler(record: (o: ProfileOptions) => ReturnType<typeof recordProfile> = recordProfile) {
  let running = false;
  return (msg: Record<string, unknown>, reply: (answer: Record<string, unknown>) => void): void => {
    const req = readProfileRequest(msg);
    if ("error" in req) return reply({ error: req.error });
    if (running) return reply({ error: "a profile is already being recorded on this host: wait for it to end" });
    running = true;
    record({ durationS: req.seconds, pid: req.pid, hz: req.hz }).then(
      ({ text, built }) => {
        const sections = built.profile.sections.map((s) => {
          let total = 0;
          for (const v of s.stacks.values()) total += v;
          return { name: s.name, unit: s.unit, stacks: s.stacks.size, total };
        });
        reply({ text, sections });
      },
      (e: unknown) => reply({ error: e instanceof Error ? e.message : String(e) }),
    ).finally(() => {
      running = false;
    });
  };
}
